// Order numbers, emails, amounts and dates in a customer's question: returned with the answer, stored with
// the interaction, and used in the response's placeholders, on a real server over both databases.
#include <algorithm>

#include "run_shopdesk.h"
#include "server_fixture.h"

using shopdesk::testing::runShopdesk;

namespace {

// The value of the first entity of `kind` in `entities`, or "" when there is none.
std::string valueOf(const json& entities, const std::string& kind) {
  const auto it =
      std::find_if(entities.begin(), entities.end(), [&](const json& e) { return e["kind"] == kind; });
  return it == entities.end() ? "" : (*it)["value"].get<std::string>();
}

}  // namespace

TEST_P(ServerTest, EntitiesAreAnsweredStoredAndFillTheResponse) {
  auto& server = startServer();
  const std::string question =
      "where is my parcel SD-482913? I paid £45.99 yesterday, mail me at Ann@Example.com";
  const auto answer = ask(server, question);
  EXPECT_EQ(valueOf(answer["entities"], "order_number"), "SD-482913") << answer.dump();
  EXPECT_EQ(valueOf(answer["entities"], "money"), "45.99 GBP");
  EXPECT_EQ(valueOf(answer["entities"], "email"), "ann@example.com");
  EXPECT_EQ(valueOf(answer["entities"], "date").size(), 10u);  // an ISO date

  const auto id = std::to_string(answer["interaction_id"].get<std::int64_t>());
  const auto stored = parse(server.client().Get("/api/v1/interactions/" + id, server.admin()));
  EXPECT_EQ(stored["entities"], answer["entities"]);
  const auto list = parse(server.client().Get("/api/v1/interactions?limit=1", server.admin()));
  EXPECT_EQ(list["items"][0]["entities"], answer["entities"]);

  // The answer's category learns to name the order: the same question now gets its number, one without gets
  // the wording beside the placeholder.
  const std::string late = "where is my parcel SD-482913, it's late";
  const auto first = ask(server, late);
  ASSERT_FALSE(first["handoff"].get<bool>()) << first.dump();
  ASSERT_TRUE(first["clarify"].is_null()) << first.dump();
  const auto category = first["category"].get<std::string>();
  const json edit = {{"description", "Where an order is"},
                     {"response", "I've found order {order_number|your order}: it is on its way."}};
  auto put =
      server.client().Put("/api/v1/categories/" + category, server.admin(), edit.dump(), "application/json");
  ASSERT_EQ(put->status, 200) << put->body;
  const auto again = ask(server, late);
  ASSERT_EQ(again["category"], category);
  EXPECT_EQ(again["response"], "I've found order SD-482913: it is on its way.");
  const auto without = ask(server, "where is my parcel, it's late");
  if (without["category"] == category && !without["handoff"].get<bool>() && without["clarify"].is_null()) {
    EXPECT_EQ(without["response"], "I've found order your order: it is on its way.");
  }
}

TEST_P(ServerTest, ACustomersDataIsErasedByTheirEmailOrOrderNumber) {
  auto& server = startServer();
  const auto first = ask(server, "where is my parcel SD-777001? reply to Cara@Example.com");
  const auto second = ask(server, "cara@example.com again: still no parcel");
  const auto other = ask(server, "where is my parcel SD-777002, it's late");
  const auto erase = [&](const std::string& query) {
    return server.client().Delete("/api/v1/customers/data?" + query, server.admin());
  };
  auto byEmail = erase("email=CARA%40example.com");
  ASSERT_EQ(byEmail->status, 200) << byEmail->body;
  EXPECT_EQ(parse(byEmail)["erased"], 2);
  for (const auto& answer : {first, second}) {
    const auto id = std::to_string(answer["interaction_id"].get<std::int64_t>());
    const auto stored = parse(server.client().Get("/api/v1/interactions/" + id, server.admin()));
    EXPECT_EQ(stored["query"], "");
    EXPECT_TRUE(stored["entities"].empty());
    EXPECT_TRUE(stored["erased_at"].is_number());
  }
  EXPECT_EQ(parse(erase("order_number=sd777002"))["erased"], 1);  // however it is typed
  EXPECT_EQ(parse(erase("email=nobody%40example.com"))["erased"], 0);
  EXPECT_EQ(parse(erase("ids=" + std::to_string(other["interaction_id"].get<std::int64_t>())))["erased"], 0);
  EXPECT_EQ(parse(server.client().Get("/api/v1/stats?days=1", server.admin()))["interactions"], 3)
      << "the counts stay";
  EXPECT_EQ(erase("")->status, 422);
  EXPECT_EQ(erase("email=a%40b.com&order_number=SD-1234")->status, 422);
  EXPECT_EQ(erase("ids=1,x")->status, 422);
  EXPECT_EQ(server.client().Delete("/api/v1/customers/data?email=a%40b.com")->status, 401);
}

TEST_P(ServerTest, RedactionMasksEmailsAndPhonesInWhatIsStored) {
  auto& server = startServer("a", {"--bootstrap", "--redact-pii"});
  const auto answer = ask(server, "parcel SD-482913 is late, call 07700 900123 or mail ann@example.com");
  EXPECT_EQ(valueOf(answer["entities"], "email"), "ann@example.com") << "the customer's own answer is whole";
  const auto id = std::to_string(answer["interaction_id"].get<std::int64_t>());
  const auto stored = parse(server.client().Get("/api/v1/interactions/" + id, server.admin()));
  EXPECT_EQ(stored["query"], "parcel SD-482913 is late, call [phone] or mail [email]");
  EXPECT_EQ(valueOf(stored["entities"], "order_number"), "SD-482913");
  EXPECT_EQ(valueOf(stored["entities"], "email"), "");
}

TEST(EntityPatterns, ABadStorePatternStopsTheServerNamingIt) {
  const auto result = runShopdesk({"--data-dir", "/nonexistent/shopdesk-entities", "serve", "--port", "0",
                                   "--entity-pattern", "order_number=(SD-[0-9"});
  EXPECT_NE(result.exitCode, 0);
  EXPECT_NE(result.output.find("(SD-[0-9"), std::string::npos) << result.output;
  const auto noEquals = runShopdesk({"--data-dir", "/nonexistent/shopdesk-entities", "serve", "--port", "0",
                                     "--entity-pattern", "SD-[0-9]+"});
  EXPECT_NE(noEquals.exitCode, 0);
  EXPECT_NE(noEquals.output.find("KIND=REGEX"), std::string::npos) << noEquals.output;
}
