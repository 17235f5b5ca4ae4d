#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "http/json_body.h"
#include "model/trainer.h"
#include "store/store.h"

namespace httplib {
struct Request;
}

namespace shopdesk::http {

//! The row id in a route's path (its first `{id}`); throws ApiError 422 unless it is a positive integer.
std::int64_t pathId(const httplib::Request& request);

//! The query parameter `name`, if the request has it.
std::optional<std::string> param(const httplib::Request& request, const char* name);
//! The integer query parameter `name`, if given; throws ApiError 422 unless it is in [min, max].
std::optional<std::int64_t> integerParam(const httplib::Request& request, const char* name, std::int64_t min,
                                         std::int64_t max);

//! Reads recommendations [{title, body, action?: {label, url}}]; throws ApiError 422 naming the bad field.
std::vector<store::Recommendation> recommendationsFromJson(const nlohmann::json& json);

//! A training job as POST /api/v1/models asks for it.
struct TrainingRequest {
  model::TrainingOptions options;
  bool activate = false;  //!< activate the model once it is trained
};

//! Reads the body of POST /api/v1/models; throws ApiError 422 naming the field that is wrong. Every field is
//! checked whatever the kind, and a transformer setting on an n-gram job is refused rather than ignored.
TrainingRequest trainingRequestFromJson(const JsonBody& body);

}  // namespace shopdesk::http
