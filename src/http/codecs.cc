#include "http/codecs.h"

#include <fmt/format.h>

#include "http/api_error.h"

namespace shopdesk::http {

namespace {

nlohmann::json optional(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json action(const std::optional<std::string>& label, const std::optional<std::string>& url) {
  if (!label || !url) return nullptr;
  auto out = nlohmann::json::object();
  out.emplace("label", *label);
  out.emplace("url", *url);
  return out;
}

// Stored JSON text as JSON; text that does not parse (never written by shopdesk) becomes null.
nlohmann::json parsed(const std::string& text) { return nlohmann::json::parse(text, nullptr, false, true); }

nlohmann::json entitiesJson(const std::vector<common::Entity>& entities) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : entities) {
    auto& entity = out.emplace_back(nlohmann::json::object());
    entity.emplace("kind", e.kind);
    entity.emplace("text", e.text);
    entity.emplace("value", e.value);
  }
  return out;
}

}  // namespace

nlohmann::json toJson(const service::Answer& a) {
  // Built member by member: nlohmann's nested initializer lists first make every {"key", value} pair an
  // array and then convert it, which cost as much CPU as classifying the question (bench/answer_json_bench:
  // 14.9 us, now 7.1).
  using json = nlohmann::json;
  json ranking = json::array();
  for (const auto& r : a.ranking) {
    json& entry = ranking.emplace_back(json::object());
    entry.emplace("category", r.category);
    entry.emplace("probability", r.probability);
  }
  json recommendations = json::array();
  for (const auto& r : a.recommendations) {
    json& entry = recommendations.emplace_back(json::object());
    entry.emplace("kind", r.kind);
    entry.emplace("category", r.category);
    entry.emplace("title", r.title);
    entry.emplace("body", r.body);
    entry.emplace("action", action(r.actionLabel, r.actionUrl));
  }
  json clarify = nullptr;
  if (!a.clarify.empty()) {
    json options = json::array();
    for (const auto& o : a.clarify) {
      json& option = options.emplace_back(json::object());
      option.emplace("category", o.category);
      option.emplace("title", o.title);
    }
    clarify = json::object();
    clarify.emplace("question", "Did you mean one of these?");
    clarify.emplace("options", std::move(options));
  }
  json out = json::object();
  out.emplace("interaction_id", a.interactionId);
  out.emplace("category", a.category);
  out.emplace("confidence", a.confidence);
  out.emplace("ranking", std::move(ranking));
  out.emplace("response", a.response);
  out.emplace("recommendations", std::move(recommendations));
  out.emplace("handoff", a.handoff);
  out.emplace("small_talk", a.smallTalk);
  out.emplace("model_version", a.modelVersion);
  out.emplace("feedback_token", a.feedbackToken);
  out.emplace("clarify", std::move(clarify));
  out.emplace("entities", entitiesJson(a.entities));
  return out;
}

nlohmann::json toJson(const store::Interaction& i) {
  nlohmann::json feedback = nullptr;
  if (i.feedback) {
    feedback = {{"helpful", i.feedback->helpful},
                {"category", optional(i.feedback->correctedCategory)},
                {"comment", optional(i.feedback->comment)},
                {"created_at", i.feedback->createdAt}};
  }
  nlohmann::json clarification = nullptr;
  if (!i.clarifyOptions.empty()) {
    clarification = {{"options", i.clarifyOptions},
                     {"choice", optional(i.clarifyChoice)},
                     {"chosen_at", i.clarifiedAt ? nlohmann::json(*i.clarifiedAt) : nlohmann::json(nullptr)}};
  }
  return {{"id", i.id},
          {"query", i.query},
          {"category", i.category},
          {"confidence", i.confidence},
          {"response", i.response},
          {"handoff", i.handoff},
          {"model_version", i.modelVersion},
          {"session_id", i.sessionId.empty() ? nlohmann::json(nullptr) : nlohmann::json(i.sessionId)},
          {"created_at", i.createdAt},
          {"feedback", feedback},
          {"review", optional(i.review)},
          {"reviewed_category", optional(i.reviewedCategory)},
          {"clarification", clarification},
          {"entities", entitiesJson(i.entities)},
          {"erased_at", i.erasedAt ? nlohmann::json(*i.erasedAt) : nlohmann::json(nullptr)}};
}

nlohmann::json toJson(const store::Category& c) {
  nlohmann::json recommendations = nlohmann::json::array();
  for (const auto& r : c.recommendations) {
    recommendations.push_back(
        {{"title", r.title}, {"body", r.body}, {"action", action(r.actionLabel, r.actionUrl)}});
  }
  return {{"name", c.name},
          {"description", c.description},
          {"response", c.response},
          {"recommendations", recommendations},
          {"small_talk", c.smallTalk},
          {"example_count", c.exampleCount}};
}

nlohmann::json toJson(const store::TrainingExample& e) {
  return {{"id", e.id}, {"text", e.text}, {"label", e.label}, {"source", e.source}};
}

nlohmann::json toJson(const store::ModelVersion& v, bool withReport) {
  nlohmann::json out = {{"version", v.version},
                        {"kind", v.kind},
                        {"active", v.active},
                        {"created_at", v.createdAt},
                        {"data_fingerprint", v.dataFingerprint}};
  const auto report = parsed(v.metrics);
  if (report.is_object()) {
    out["accuracy"] = report.value("accuracy", 0.0);
    out["macro_f1"] = report.value("macro_f1", 0.0);
    if (withReport) out["report"] = report;
  }
  return out;
}

nlohmann::json toJson(const store::TrainingJob& j) {
  return {{"id", j.id},
          {"kind", j.kind},
          {"status", j.status},
          {"params", parsed(j.params)},
          {"progress", parsed(j.progress)},
          {"error", optional(j.error)},
          {"model_version", optional(j.modelVersion)},
          {"created_at", j.createdAt},
          {"finished_at", j.finishedAt ? nlohmann::json(*j.finishedAt) : nlohmann::json(nullptr)}};
}

nlohmann::json toJson(const store::AnalysisJob& j) {
  nlohmann::json out = {{"id", j.id},
                        {"kind", j.kind},
                        {"status", j.status},
                        {"params", parsed(j.params)},
                        {"progress", parsed(j.progress)},
                        {"created_at", j.createdAt}};
  if (j.finishedAt) out["finished_at"] = *j.finishedAt;
  if (j.error) out["error"] = *j.error;
  if (j.result) out["result"] = parsed(*j.result);
  return out;
}

nlohmann::json toJson(const store::AdminToken& t) {
  return {{"name", t.name},
          {"created_by", t.createdBy},
          {"created_at", t.createdAt},
          {"revoked_at", t.revokedAt ? nlohmann::json(*t.revokedAt) : nlohmann::json(nullptr)}};
}

nlohmann::json toJson(const store::AuditEntry& e) {
  auto detail = parsed(e.detail);
  if (!detail.is_object()) detail = nlohmann::json::object();
  return {{"id", e.id},         {"at", e.at},         {"actor", e.actor},
          {"action", e.action}, {"target", e.target}, {"detail", detail}};
}

nlohmann::json toJson(const store::TrafficStats& s) {
  nlohmann::json volume = nlohmann::json::array();
  for (const auto& d : s.volume) {
    volume.push_back({{"day", d.day * 86400000LL}, {"category", d.category}, {"count", d.count}});
  }
  const auto rate = [](std::int64_t part, std::int64_t whole) {
    return whole ? nlohmann::json(static_cast<double>(part) / static_cast<double>(whole))
                 : nlohmann::json(nullptr);
  };
  return {{"volume", volume},
          {"interactions", s.interactions},
          {"handoff_rate", rate(s.handoffs, s.interactions)},
          {"feedback_count", s.withFeedback},
          {"helpful_rate", rate(s.helpful, s.withFeedback)},
          {"reviewed", s.reviewed},
          {"reviewed_accuracy", rate(s.reviewedCorrect, s.reviewed)}};
}

}  // namespace shopdesk::http
