// Hostile and broken requests against a real `shopdesk serve`, on SQLite and on PostgreSQL. The requests come
// from walking the server's own OpenAPI document, so a new route is covered the day it is documented: every
// answer must be a 4xx with the JSON error body, the server must keep serving, and the database must be
// exactly as it was (a checksum over every row of every table).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <regex>

#include "server_process.h"
#include "service/secrets.h"
#include "small_demo.h"
#include "store/postgres_connection.h"
#include "store/sqlite_connection.h"
#include "test_database.h"

using shopdesk::testing::Backend;
using shopdesk::testing::ServerProcess;
using shopdesk::testing::TestDatabase;
using json = nlohmann::json;

namespace {

// Table names come from the catalog, so quoting them is safe; every value is read back as text.
std::string databaseChecksum(const std::string& url) {
  std::unique_ptr<shopdesk::store::Connection> connection;
  std::string tables;
  if (url.starts_with("sqlite:")) {
    connection = std::make_unique<shopdesk::store::SqliteConnection>(url.substr(7), true);
    tables = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
  } else {
    connection = std::make_unique<shopdesk::store::PostgresConnection>(url);
    tables = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename";
  }
  std::string content;
  for (const auto& table : connection->query(tables)) {
    content += "#" + *table[0] + "\n";
    for (const auto& row : connection->query("SELECT * FROM \"" + *table[0] + "\" ORDER BY 1")) {
      for (const auto& value : row) content += (value ? "'" + *value : std::string("NULL")) + "|";
      content += "\n";
    }
  }
  return shopdesk::service::sha256Hex(content);
}

// One request of the walk and what it was meant to break.
struct Probe {
  std::string method;
  std::string path;
  std::string body;
  std::string contentType = "application/json";
  std::string authorization;  // empty: none
  std::string why;
  bool mayFindNothing = false;  // a search: 200 with no items is right too
};

// The JSON type `schema` asks for ("" when it names none); of a nullable one (["string", "null"]), the other.
std::string schemaType(const json& schema, const std::string& otherwise = "") {
  const auto type = schema.value("type", json(otherwise));
  if (type.is_string()) return type.get<std::string>();
  for (const auto& t : type) {
    if (t != "null") return t.get<std::string>();
  }
  return otherwise;
}

// A value of every JSON type but the one the schema asks for, and values outside its bounds.
std::vector<json> wrongValues(const json& schema) {
  const std::string type = schemaType(schema);
  std::vector<json> values;
  if (type != "string") values.push_back("seven");
  if (type != "integer" && type != "number") values.push_back(7);
  if (type != "boolean") values.push_back(true);
  values.push_back(json::array({1, 2}));
  values.push_back(json::object({{"nested", 1}}));
  if (type == "integer") values.push_back(1.5);
  if (schema.contains("enum")) values.push_back("not-one-of-the-values");
  if (schema.contains("minimum")) values.push_back(schema["minimum"].get<double>() - 1);
  if (schema.contains("maximum")) values.push_back(schema["maximum"].get<double>() * 1000 + 1);
  if (type == "string")
    values.push_back(std::string(200 * 1024, 'x'));  // under the body limit, over any field's
  return values;
}

// A body whose fields all have the right type (never sent as it is: only mutated).
json wellTyped(const json& schema) {
  json body = json::object();
  const json properties = schema.value("properties", json::object());
  for (const auto& [name, property] : properties.items()) {
    const std::string type = schemaType(property, "string");
    if (property.contains("enum"))
      body[name] = property["enum"][0];
    else if (type == "boolean")
      body[name] = true;
    else if (type == "integer" || type == "number")
      body[name] = property.value("minimum", 1);
    else
      body[name] = "probe";
  }
  return body;
}

std::string percentEncode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

class BadInputTest : public ::testing::TestWithParam<Backend> {
 protected:
  BadInputTest()
      : database_(GetParam()),
        dataDir_(std::filesystem::temp_directory_path() /
                 ("shopdesk-bad-input-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dataDir_);
  }
  ~BadInputTest() override { std::filesystem::remove_all(dataDir_); }

  std::vector<Probe> probesFor(const std::string& method, const std::string& path, const json& operation,
                               const json& schemas) const;

  TestDatabase database_;
  std::filesystem::path dataDir_;
};

std::vector<Probe> BadInputTest::probesFor(const std::string& method, const std::string& path,
                                           const json& operation, const json& schemas) const {
  const bool admin = operation.contains("security") && !operation["security"].empty();
  const std::string token = std::string("Bearer ") + ServerProcess::kToken;
  std::vector<Probe> probes;
  auto add = [&](std::string p, std::string body, std::string why, std::string type = "application/json") {
    probes.push_back(
        {method, std::move(p), std::move(body), std::move(type), admin ? token : "", std::move(why)});
  };

  // Path parameters: ids that do not exist or are not ids, SQL and path tricks.
  std::string plain = path;
  for (const auto& parameter : operation.value("parameters", json::array())) {
    if (parameter["in"] == "path") {
      plain = std::regex_replace(
          plain, std::regex("\\{" + parameter["name"].get<std::string>() + "\\}"),
          parameter["schema"].value("type", "") == "integer" ? "987654321" : "no-such-name");
    }
  }
  if (plain != path) {
    for (const std::string bad : {"987654321", "0", "-1", "abc", "99999999999999999999999",
                                  "1; DROP TABLE interactions", "x' OR '1'='1", "../../etc/passwd"}) {
      const auto mutated = std::regex_replace(path, std::regex(R"(\{[a-z_]+\})"), percentEncode(bad));
      add(mutated, "", "path parameter '" + bad + "'");
    }
  }

  // Query parameters: huge, negative and mistyped numbers, unknown values, SQL metacharacters.
  for (const auto& parameter : operation.value("parameters", json::array())) {
    if (parameter["in"] != "query") continue;
    const auto name = parameter["name"].get<std::string>();
    const auto type = parameter["schema"].value("type", "string");
    std::vector<std::string> values;
    if (type == "integer") values = {"-1", "99999999999999999999", "abc", "1.5", "", "1e9"};
    if (type == "boolean") values = {"maybe", "2", ""};
    for (const auto& value : values)
      add(plain + "?" + name + "=" + percentEncode(value), "", "?" + name + "=" + value);
    if (type == "string") {
      // Free text filters may match nothing; they must neither fail nor be read as SQL.
      for (const std::string value :
           {"x' OR '1'='1", "%' OR 1=1 --", "'; DROP TABLE interactions; --", "\\%_"}) {
        add(plain + "?" + name + "=" + percentEncode(value), "", "?" + name + "=" + value);
        // A search, or an erasure by what a customer wrote: matching nothing is a right answer too.
        probes.back().mayFindNothing = method == "get" || method == "delete";
      }
    }
  }

  // Bodies: missing, empty, not JSON, not an object, invalid UTF-8, nested too deep, too large, fields
  // missing or of the wrong type, unknown fields beside a missing one.
  const auto content = operation.value("requestBody", json::object()).value("content", json::object());
  if (content.contains("application/json")) {
    json schema = content["application/json"]["schema"];
    if (schema.contains("$ref")) schema = schemas[schema["$ref"].get<std::string>().substr(21)];
    if (schema.contains("required")) add(plain, "", "empty body");  // else an empty body is all defaults
    add(plain, "{\"query\": \"where is", "truncated JSON");
    add(plain, "[1, 2, 3]", "an array instead of an object");
    add(plain, "\"text\"", "a string instead of an object");
    add(plain, "{\"query\": \"\xff\xfe parcel\", \"text\": \"\xc3\x28\"}", "invalid UTF-8");
    add(plain, "{\"a\": " + std::string(5000, '[') + std::string(5000, ']') + "}", "nested 5000 deep");
    add(plain, json{{"query", std::string(1 << 20, 'x')}, {"text", std::string(1 << 20, 'x')}}.dump(),
        "1 MB body");
    add(plain, "{\"query\": \"parcel\"}", "JSON sent as text/plain", "text/plain");
    const auto base = wellTyped(schema);
    for (const auto& required : schema.value("required", json::array())) {
      json body = base;
      body.erase(required.get<std::string>());
      add(plain, body.dump(), "without '" + required.get<std::string>() + "'");
      body["unexpected_field"] = "x";
      add(plain, body.dump(), "an unknown field and no '" + required.get<std::string>() + "'");
    }
    const json properties = schema.value("properties", json::object());
    for (const auto& [name, property] : properties.items()) {
      for (const auto& wrong : wrongValues(property)) {
        json body = base;
        body[name] = wrong;
        const auto shown = wrong.dump();
        add(plain, body.dump(), "'" + name + "' = " + shown.substr(0, 40));
      }
      json empty = base;
      if (schemaType(property) == "string") {
        empty[name] = "   ";
        add(plain, empty.dump(), "'" + name + "' blank");
      }
    }
  } else if (!content.empty()) {
    add(plain, "text,label\n\xff\xfe,parcel\n", "invalid UTF-8 file", "text/csv");
    add(plain, "text,label\n\"unterminated,parcel\n", "broken CSV quoting", "text/csv");
    add(plain, "", "empty file", "text/csv");
    add(plain, "{\"text\": 1}\n", "JSONL of the wrong type", "application/x-ndjson");
    add(plain, "text,label\nhi,x\n", "unknown content type", "application/x-shockwave-flash");
  }

  // Tokens: admin routes refuse a missing, wrong, malformed or differently long token.
  if (admin) {
    for (const std::string& bad :
         {std::string(), std::string("Bearer wrong-token"), std::string("Bearer "),
          std::string("Basic dGVzdDp0ZXN0"), token + "x", token.substr(0, token.size() - 1),
          std::string("bearer ") + ServerProcess::kToken}) {
      probes.push_back({method, plain, "{}", "application/json", bad, "authorization '" + bad + "'"});
    }
  }
  return probes;
}

}  // namespace

TEST_P(BadInputTest, EveryDocumentedRouteRefusesBadInputAndChangesNothing) {
  ServerProcess server(database_.url(), dataDir_, {"--bootstrap"});
  auto client = server.client();
  // Something of each kind to find and to protect: an interaction with feedback.
  auto asked = client.Post("/api/v1/answers", R"({"query": "where is my parcel?"})", "application/json");
  ASSERT_TRUE(asked && asked->status == 201);
  const auto answer = json::parse(asked->body);
  auto feedback =
      client.Post("/api/v1/interactions/" + std::to_string(answer["interaction_id"].get<int>()) + "/feedback",
                  json{{"token", answer["feedback_token"]}, {"helpful", false}}.dump(), "application/json");
  ASSERT_TRUE(feedback && feedback->status == 201) << (feedback ? feedback->body : "");
  const auto before = databaseChecksum(database_.url());

  const auto document = json::parse(client.Get("/api/v1/openapi.json")->body);
  std::vector<Probe> probes;
  for (const auto& [path, operations] : document["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      auto more = probesFor(method, path, operation, document["components"]["schemas"]);
      probes.insert(probes.end(), more.begin(), more.end());
    }
  }
  // The static file server must not leave its folder, however the dots are spelled.
  for (const std::string path : {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                                 "/assets/..%2f..%2f..%2f..%2fetc%2fpasswd", "/..%5c..%5c..%5cetc%5cpasswd",
                                 "/index.html/../../../etc/passwd"}) {
    probes.push_back({"get", path, "", "", "", "static path " + path});
  }
  ASSERT_GT(probes.size(), 300u);

  for (const auto& probe : probes) {
    httplib::Headers headers;
    if (!probe.authorization.empty()) headers.emplace("Authorization", probe.authorization);
    auto send = [&]() {
      if (probe.method == "get") return client.Get(probe.path, headers);
      if (probe.method == "delete") return client.Delete(probe.path, headers, probe.body, probe.contentType);
      if (probe.method == "put") return client.Put(probe.path, headers, probe.body, probe.contentType);
      return client.Post(probe.path, headers, probe.body, probe.contentType);
    };
    const auto result = send();
    const auto what = probe.method + " " + probe.path.substr(0, 120) + ": " + probe.why;
    ASSERT_TRUE(result) << what << ": no response (" << httplib::to_string(result.error()) << ")";
    if (probe.mayFindNothing && result->status == 200) {
      const auto found = json::parse(result->body);
      if (probe.method == "delete")
        EXPECT_EQ(found["erased"], 0) << what;
      else
        EXPECT_EQ(found["items"], json::array()) << what;
      continue;
    }
    EXPECT_GE(result->status, 400) << what << " → " << result->body.substr(0, 300);
    EXPECT_LT(result->status, 500) << what << " → " << result->body.substr(0, 300);
    const auto body = json::parse(result->body, nullptr, false);
    const bool errorBody = body.is_object() && body.contains("error") && body["error"].is_object() &&
                           body["error"].value("code", json()).is_string() &&
                           body["error"].value("message", json()).is_string();
    EXPECT_TRUE(errorBody) << what << " → " << result->body.substr(0, 300);
    EXPECT_EQ(result->body.find("root:"), std::string::npos) << what;
  }

  EXPECT_EQ(databaseChecksum(database_.url()), before) << "a refused request changed the database";
  EXPECT_EQ(client.Get("/healthz")->status, 200);
  auto again = client.Post("/api/v1/answers", R"({"query": "I was charged twice"})", "application/json");
  EXPECT_TRUE(again && again->status == 201);
}

INSTANTIATE_TEST_SUITE_P(Backends, BadInputTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         shopdesk::testing::backendName);
