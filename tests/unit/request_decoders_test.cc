#include "http/request_decoders.h"

#include <gtest/gtest.h>

#include "http/api_error.h"
#include "http/json_body.h"

using namespace shopdesk;

namespace {

// The status and code of the ApiError `read` throws, or 0 and "" when it returns.
template <typename Read>
std::pair<int, std::string> errorOf(Read&& read) {
  try {
    read();
  } catch (const http::ApiError& e) {
    return {e.status(), e.code()};
  }
  return {0, ""};
}

}  // namespace

// Found by fuzzing: a number beyond a double is nlohmann's out_of_range, which escaped as a 500.
TEST(JsonBody, ANumberBeyondADoubleIsMalformedJson) {
  EXPECT_EQ(errorOf([] { http::JsonBody::parse(R"({"learning_rate": 8e381})"); }),
            std::make_pair(400, std::string("malformed_json")));
  EXPECT_EQ(errorOf([] { http::JsonBody::parse(R"({"a": [1e400]})"); }),
            std::make_pair(400, std::string("malformed_json")));
}

TEST(JsonBody, RefusesDeepNestingInvalidUtf8AndNonObjects) {
  EXPECT_EQ(errorOf([] { http::JsonBody::parse(std::string(20, '[') + std::string(20, ']')); }).second,
            "too_deep");
  EXPECT_EQ(errorOf([] { http::JsonBody::parse("{\"q\":\"\xC3\"}"); }).second, "invalid_utf8");
  EXPECT_EQ(errorOf([] { http::JsonBody::parse("[1]"); }).second, "malformed_json");
}

TEST(TrainingRequest, ReadsEveryFieldAndRefusesTransformerSettingsOnNgram) {
  const auto request = http::trainingRequestFromJson(
      http::JsonBody::parse(R"({"kind": "ngram", "epochs": 7, "seed": 9, "activate": true})"));
  EXPECT_EQ(request.options.kind, "ngram");
  EXPECT_EQ(request.options.ngram.epochs, 7);
  EXPECT_EQ(request.options.seed, 9u);
  EXPECT_TRUE(request.activate);
  EXPECT_EQ(errorOf([] {
              http::trainingRequestFromJson(http::JsonBody::parse(R"({"kind": "ngram", "max_length": 64})"));
            }),
            std::make_pair(422, std::string("bad_value")));
  EXPECT_EQ(errorOf([] {
              http::trainingRequestFromJson(http::JsonBody::parse(R"({"seed": 18446744073709551615})"));
            }).second,
            "bad_value");
  EXPECT_EQ(
      errorOf([] { http::trainingRequestFromJson(http::JsonBody::parse(R"({"learning_rate": 2})")); }).second,
      "bad_value");
}

TEST(TrainingRequest, ALearningRateReachesTheNgramModelAndIsRefusedForLinear) {
  const auto request = http::trainingRequestFromJson(
      http::JsonBody::parse(R"({"kind": "ngram", "learning_rate": 0.2, "epochs": 3})"));
  EXPECT_EQ(request.options.ngram.learningRate, 0.2);
  EXPECT_EQ(request.options.epochs(), 3);
  EXPECT_EQ(
      errorOf([] {
        http::trainingRequestFromJson(http::JsonBody::parse(R"({"kind": "linear", "learning_rate": 0.2})"));
      }),
      std::make_pair(422, std::string("bad_value")));
  EXPECT_EQ(errorOf([] {
              http::trainingRequestFromJson(
                  http::JsonBody::parse(R"({"kind": "transformer", "checkpoint": "/no/such/folder"})"));
            }),
            std::make_pair(422, std::string("bad_value")));
}

TEST(Recommendations, NameTheBadField) {
  EXPECT_EQ(http::recommendationsFromJson(nlohmann::json::parse(R"([{"title": "t", "body": "b"}])")).size(),
            1u);
  try {
    http::recommendationsFromJson(
        nlohmann::json::parse(R"([{"title": "t", "body": "b", "action": {"label": "x"}}])"));
    FAIL();
  } catch (const http::ApiError& e) {
    EXPECT_STREQ(e.what(), "recommendations[0].url must be a non-empty string");
  }
}
