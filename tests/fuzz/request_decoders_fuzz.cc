// The JSON request decoders on any bytes: a body is either refused with an ApiError of a 4xx status, or each
// field the routes read comes out as the type and within the limits they rely on. Any other exception (a
// nlohmann type error, std::out_of_range …) escapes and counts as a crash: the server would answer it 500.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "http/api_error.h"
#include "http/json_body.h"
#include "http/request_decoders.h"
#include "model/model_kinds.h"
#include "text/utf8.h"

using namespace shopdesk;

namespace {

void requireClientError(const http::ApiError& e) {
  fuzz::require(e.status() >= 400 && e.status() < 500, "a client error is a 4xx");
  fuzz::require(!e.code().empty() && std::string(e.what()).size() > 0, "an error has a code and a message");
}

// Every typed read a route makes of a body, each refusing on its own.
void readFields(const http::JsonBody& body) {
  const auto attempt = [](auto&& read) {
    try {
      read();
    } catch (const http::ApiError& e) {
      requireClientError(e);
    }
  };
  attempt([&] {
    const auto query = body.text("query", 1000);
    fuzz::require(!query.empty() && text::countCodepoints(query) <= 1000, "query within its limit");
    fuzz::require(!text::findInvalidUtf8(query) && text::trimSpace(query) == query, "query trimmed UTF-8");
  });
  attempt([&] {
    if (const auto session = body.optionalText("session_id", 64))
      fuzz::require(!session->empty() && text::countCodepoints(*session) <= 64,
                    "session id within its limit");
  });
  attempt([&] { body.boolean("helpful"); });
  attempt([&] { body.optionalBoolean("activate"); });
  attempt([&] {
    if (body.json().contains("recommendations")) {
      for (const auto& r : http::recommendationsFromJson(body.json()["recommendations"])) {
        fuzz::require(!r.title.empty() && !r.body.empty(), "recommendations have a title and a body");
        fuzz::require(r.actionLabel.has_value() == r.actionUrl.has_value(),
                      "an action has a label and a url");
      }
    }
  });
  attempt([&] {
    const auto request = http::trainingRequestFromJson(body);
    const auto& options = request.options;
    const auto kinds = model::modelKindNames();
    fuzz::require(std::find(kinds.begin(), kinds.end(), options.kind) != kinds.end(), "a known kind");
    fuzz::require(options.goals.answerPrecision >= 0 && options.goals.answerPrecision <= 1 &&
                      options.goals.outOfScopeHandoff >= 0 && options.goals.outOfScopeHandoff <= 1,
                  "goals are shares");
    fuzz::require(options.ngram.epochs >= 1 && options.ngram.epochs <= 1000, "epochs in range");
    fuzz::require(options.transformer.maxLength >= 2 && options.transformer.batchSize >= 1, "sizes in range");
    fuzz::require(options.transformer.learningRate > 0 && options.transformer.learningRate <= 1,
                  "rate in range");
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto value = http::parseInteger("limit", text, -5, 1000);
    fuzz::require(value >= -5 && value <= 1000, "an integer parameter in range");
  } catch (const http::ApiError& e) {
    requireClientError(e);
  }
  try {
    readFields(http::JsonBody::parse(text));
  } catch (const http::ApiError& e) {
    requireClientError(e);
  }
  return 0;
}
