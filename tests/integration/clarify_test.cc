// "Did you mean …?": an unsure answer offers its likely categories, and the customer's pick answers, on a
// real server over both databases.
#include <algorithm>

#include "server_fixture.h"

namespace {

// Questions that sit between two of the demo's categories, as customers wrote them (from data/test.csv,
// which the server's first model never learns from).
const char* const kBetweenTwo[] = {
    "Is my order really cancelled? The status still says processing.",
    "the total i paid doesnt match the prices in my basket, something is off",
    "the Evergreen rain jacket leaks at the shoulders, not waterproof in the slightest",
    "What hours are your telephone advisors around on weekdays?",
    "Can I have the parcel dropped at my local corner shop instead of my door?",
};

// The first of kBetweenTwo the server asks about, each asked in a session of its own; null when none is.
json firstAsked(ServerProcess& server, const std::string& sessionPrefix) {
  int n = 0;
  for (const auto* query : kBetweenTwo) {
    auto answer = ask(server, query, sessionPrefix + std::to_string(n++));
    if (!answer["clarify"].is_null()) {
      answer["query"] = query;
      answer["session"] = sessionPrefix + std::to_string(n - 1);
      return answer;
    }
  }
  return nullptr;
}

httplib::Result choose(ServerProcess& server, const json& answer, const json& body) {
  return server.client().Post("/api/v1/interactions/" +
                                  std::to_string(answer["interaction_id"].get<std::int64_t>()) +
                                  "/clarification",
                              body.dump(), "application/json");
}

}  // namespace

TEST_P(ServerTest, AnUnsureAnswerAsksAndTheCustomersPickAnswers) {
  auto& server = startServer();
  const auto asked = firstAsked(server, "pick-");
  ASSERT_FALSE(asked.is_null()) << "no question between two categories was asked about";
  const auto& options = asked["clarify"]["options"];
  ASSERT_GE(options.size(), 1u);
  ASSERT_LE(options.size(), 3u);
  EXPECT_FALSE(asked["handoff"].get<bool>());
  EXPECT_TRUE(asked["recommendations"].empty());
  const auto response = asked["response"].get<std::string>();
  for (const auto& option : options)
    EXPECT_NE(response.find(option["title"].get<std::string>()), std::string::npos);

  // Wrong token, a category not offered, no category key: refused, nothing recorded.
  const auto token = asked["feedback_token"];
  const auto categories = parse(server.client().Get("/api/v1/categories"))["items"];
  std::string notOffered;
  for (const auto& c : categories) {
    const auto name = c["name"].get<std::string>();
    if (std::none_of(options.begin(), options.end(), [&](const json& o) { return o["category"] == name; }))
      notOffered = name;
  }
  EXPECT_EQ(choose(server, asked, {{"token", "not-the-token"}, {"category", options[0]["category"]}})->status,
            404);
  EXPECT_EQ(choose(server, asked, {{"token", token}, {"category", notOffered}})->status, 422);
  EXPECT_EQ(choose(server, asked, {{"token", token}})->status, 422);

  // The model is replaced before the customer picks: the pick still answers with what was offered.
  ASSERT_EQ(trainAndWait(server, {{"activate", true}, {"kind", "linear"}})["status"], "succeeded");
  const auto chosen = options[options.size() - 1]["category"].get<std::string>();
  auto picked = choose(server, asked, {{"token", token}, {"category", chosen}});
  ASSERT_EQ(picked->status, 200) << picked->body;
  const auto answer = parse(picked);
  EXPECT_EQ(answer["category"], chosen);
  EXPECT_FALSE(answer["handoff"].get<bool>());
  EXPECT_TRUE(answer["clarify"].is_null());
  EXPECT_EQ(answer["interaction_id"], asked["interaction_id"]);
  json category;
  for (const auto& c : categories) {
    if (c["name"] == chosen) category = c;
  }
  EXPECT_EQ(answer["response"], category["response"]);
  EXPECT_EQ(answer["recommendations"].empty(), category["recommendations"].empty());
  EXPECT_EQ(choose(server, asked, {{"token", token}, {"category", chosen}})->status, 409);  // single use

  // The interaction is filed under the pick, which an agent's review makes a training example.
  const auto id = std::to_string(asked["interaction_id"].get<std::int64_t>());
  const auto stored = parse(server.client().Get("/api/v1/interactions/" + id, server.admin()));
  EXPECT_EQ(stored["category"], chosen);
  EXPECT_FALSE(stored["handoff"].get<bool>());
  EXPECT_EQ(stored["clarification"]["options"].size(), options.size());
  EXPECT_EQ(stored["clarification"]["choice"], chosen);
  EXPECT_TRUE(stored["clarification"]["chosen_at"].is_number());
  auto feedback = server.client().Post("/api/v1/interactions/" + id + "/feedback",
                                       json{{"token", token}, {"helpful", true}}.dump(), "application/json");
  EXPECT_EQ(feedback->status, 201) << feedback->body;  // the token still rates the answer given
  auto resolved = server.client().Post("/api/v1/review/" + id, server.admin(), R"({"action":"resolve"})",
                                       "application/json");
  ASSERT_EQ(resolved->status, 200) << resolved->body;
  const auto examples = parse(server.client().Get("/api/v1/training-examples?limit=1", server.admin()));
  EXPECT_EQ(examples["items"][0]["source"], "clarification");
  EXPECT_EQ(examples["items"][0]["label"], chosen);
  EXPECT_EQ(examples["items"][0]["text"], asked["query"]);
}

TEST_P(ServerTest, SomethingElseOrASecondUnsureAnswerHandsOff) {
  auto& server = startServer();
  const auto asked = firstAsked(server, "else-");
  ASSERT_FALSE(asked.is_null()) << "no question between two categories was asked about";
  auto handed = choose(server, asked, {{"token", asked["feedback_token"]}, {"category", nullptr}});
  ASSERT_EQ(handed->status, 200) << handed->body;
  const auto answer = parse(handed);
  EXPECT_TRUE(answer["handoff"].get<bool>());
  EXPECT_TRUE(answer["clarify"].is_null());
  const auto id = std::to_string(asked["interaction_id"].get<std::int64_t>());
  const auto stored = parse(server.client().Get("/api/v1/interactions/" + id, server.admin()));
  EXPECT_TRUE(stored["handoff"].get<bool>());
  EXPECT_TRUE(stored["clarification"]["choice"].is_null());
  EXPECT_TRUE(stored["clarification"]["chosen_at"].is_number());
  EXPECT_EQ(stored["response"], answer["response"]);

  // The same question again in the session that was just asked: a person takes it, no second quiz.
  const auto again = ask(server, asked["query"].get<std::string>(), asked["session"].get<std::string>());
  EXPECT_TRUE(again["clarify"].is_null()) << again.dump();
  EXPECT_TRUE(again["handoff"].get<bool>()) << again.dump();
  // A confident answer never asks.
  EXPECT_TRUE(ask(server, "where is my parcel, it's late", "sure")["clarify"].is_null());
}
