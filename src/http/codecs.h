#pragma once

#include <nlohmann/json.hpp>

#include "service/assistant.h"
#include "store/store.h"

namespace shopdesk::http {

//! JSON forms of what the API returns; field names are snake_case as in the OpenAPI document.
nlohmann::json toJson(const service::Answer& answer);
nlohmann::json toJson(const store::Interaction& interaction);
nlohmann::json toJson(const store::Category& category);
nlohmann::json toJson(const store::TrainingExample& example);
nlohmann::json toJson(const store::ModelVersion& version, bool withReport);
nlohmann::json toJson(const store::TrainingJob& job);
nlohmann::json toJson(const store::AnalysisJob& job);
nlohmann::json toJson(const store::TrafficStats& stats);
nlohmann::json toJson(const store::AdminToken& token);
nlohmann::json toJson(const store::AuditEntry& entry);

}  // namespace shopdesk::http
