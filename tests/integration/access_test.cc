// Named admin tokens and the audit log on a running server, over both databases: a token per agent acts under
// its name, is revoked in the middle of a session, and every change it made is listed with it.
#include <regex>

#include "run_shopdesk.h"
#include "server_fixture.h"

using shopdesk::testing::runShopdesk;

namespace {

httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// The audit log's entries of `action`, newest first.
json entries(ServerProcess& server, const std::string& action) {
  return parse(server.client().Get("/api/v1/audit?action=" + action, server.admin()))["items"];
}

}  // namespace

TEST_P(ServerTest, ANamedTokenActsUnderItsNameUntilRevokedAndTheAuditLogSaysWhatItChanged) {
  auto& server = startServer();
  auto client = server.client();
  auto created = client.Post("/api/v1/tokens", server.admin(), R"({"name":"alice"})", "application/json");
  ASSERT_EQ(created->status, 201) << created->body;
  const auto token = parse(created)["token"].get<std::string>();
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(parse(created)["created_by"], "admin");
  EXPECT_EQ(client.Post("/api/v1/tokens", server.admin(), R"({"name":"alice"})", "application/json")->status,
            409);
  EXPECT_EQ(client.Post("/api/v1/tokens", server.admin(), R"({"name":"cli"})", "application/json")->status,
            422);
  EXPECT_EQ(client.Post("/api/v1/tokens", server.admin(), R"({"name":"a b"})", "application/json")->status,
            422);

  EXPECT_EQ(parse(client.Get("/api/v1/me", bearer(token)))["name"], "alice");
  EXPECT_EQ(parse(client.Get("/api/v1/me", server.admin()))["name"], "admin");
  const json edit = {{"description", "Where an order is"}, {"response", "It is on its way."}};
  auto put = client.Put("/api/v1/categories/order_status", bearer(token), edit.dump(), "application/json");
  ASSERT_EQ(put->status, 200) << put->body;
  const auto answer = ask(server, "where is my parcel SD-100200? write to dora@example.com");
  auto erase = client.Delete("/api/v1/customers/data?email=dora@example.com", bearer(token));
  ASSERT_EQ(erase->status, 200) << erase->body;

  // Revoked between two requests of the same session: the next one is refused as unauthorized.
  ASSERT_EQ(client.Delete("/api/v1/tokens/alice", server.admin())->status, 204);
  auto after = client.Get("/api/v1/interactions", bearer(token));
  EXPECT_EQ(after->status, 401) << after->body;
  EXPECT_EQ(parse(after)["error"]["code"], "token_revoked");
  EXPECT_EQ(client.Delete("/api/v1/tokens/alice", server.admin())->status, 404);
  const auto tokens = parse(client.Get("/api/v1/tokens", server.admin()))["items"];
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_TRUE(tokens[0]["revoked_at"].is_number());

  const auto saved = entries(server, "category.save");
  ASSERT_EQ(saved.size(), 1u) << saved.dump();
  EXPECT_EQ(saved[0]["actor"], "alice");
  EXPECT_EQ(saved[0]["target"], "order_status");
  // PUT replaces the category: the demo's recommendations, not sent, are gone, and the log says so.
  EXPECT_EQ(saved[0]["detail"]["changed"], json({"description", "response", "recommendations"}));
  const auto erased = entries(server, "customer_data.erase");
  ASSERT_EQ(erased.size(), 1u);
  EXPECT_EQ(erased[0]["actor"], "alice");
  EXPECT_EQ(erased[0]["detail"]["by"], "email");
  EXPECT_EQ(erased[0]["detail"]["erased"], 1) << answer.dump();
  const auto all = parse(client.Get("/api/v1/audit?limit=500", server.admin()));
  EXPECT_EQ(all["items"][0]["action"], "token.revoke");
  EXPECT_EQ(all["items"][0]["actor"], "admin");
  EXPECT_EQ(all["items"][0]["target"], "alice");
  EXPECT_EQ(all["items"].dump().find("dora"), std::string::npos)
      << "the audit log holds the customer's email";
  EXPECT_EQ(parse(client.Get("/api/v1/audit?actor=alice", server.admin()))["total"], 2);
  // A refused change is not a change.
  EXPECT_EQ(entries(server, "token.create").size(), 1u);

  // The command line acts as "cli", and a token it creates works on the running server.
  const auto cli = runShopdesk({"--db", database_.url(), "tokens", "create", "bob"});
  ASSERT_EQ(cli.exitCode, 0) << cli.output;
  std::smatch line;
  ASSERT_TRUE(std::regex_search(cli.output, line, std::regex("(^|\n)([0-9a-f]{64})\n"))) << cli.output;
  const auto secret = line[2].str();
  EXPECT_EQ(parse(client.Get("/api/v1/me", bearer(secret)))["name"], "bob");
  const auto byCli = entries(server, "token.create");
  ASSERT_EQ(byCli.size(), 2u);
  EXPECT_EQ(byCli[0]["actor"], "cli");
}
