#include "model/ensemble_classifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "model/calibration.h"
#include "model/safetensors.h"

namespace shopdesk::model {

namespace {

// Per member, per text, the log-probability of each label (floored, so a zero does not veto a label).
std::vector<std::vector<std::vector<double>>> memberLogProbabilities(
    const std::vector<EnsembleClassifier::Member>& members, const std::vector<std::string>& texts,
    std::size_t labels) {
  std::vector<std::vector<std::vector<double>>> out;
  for (const auto& member : members) {
    auto& rows = out.emplace_back(texts.size(), std::vector<double>(labels, 0.0));
    const auto rankings = member.classifier->predict(texts);
    for (std::size_t i = 0; i < texts.size(); ++i) {
      for (const auto& r : rankings[i])
        rows[i][static_cast<std::size_t>(r.label)] =
            std::log(std::max(static_cast<double>(r.probability), 1e-9));
    }
  }
  return out;
}

std::vector<std::vector<double>> pool(const std::vector<std::vector<std::vector<double>>>& logProbabilities,
                                      const std::vector<double>& weights) {
  std::vector<std::vector<double>> out(logProbabilities.front().size(),
                                       std::vector<double>(logProbabilities.front().front().size(), 0.0));
  for (std::size_t m = 0; m < weights.size(); ++m) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      for (std::size_t c = 0; c < out[i].size(); ++c) out[i][c] += weights[m] * logProbabilities[m][i][c];
    }
  }
  return out;
}

double accuracy(const std::vector<std::vector<double>>& scores, const std::vector<int>& truth) {
  std::size_t right = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    right += static_cast<int>(std::max_element(scores[i].begin(), scores[i].end()) - scores[i].begin()) ==
             truth[i];
  }
  return scores.empty() ? 0 : static_cast<double>(right) / static_cast<double>(scores.size());
}

}  // namespace

EnsembleClassifier::EnsembleClassifier(std::vector<Member> members, double temperature)
    : members_(std::move(members)), temperature_(temperature) {
  if (members_.size() < 2) throw std::invalid_argument("an ensemble needs at least two members");
  labels_ = members_.front().classifier->labels();
  std::set<std::string> kinds;
  for (const auto& m : members_) {
    if (m.classifier->labels() != labels_)
      throw std::invalid_argument("the members of an ensemble must have the same labels");
    if (!kinds.insert(m.classifier->kind()).second)
      throw std::invalid_argument(
          fmt::format("an ensemble has one member of each kind ('{}' twice)", m.classifier->kind()));
  }
}

EnsembleClassifier EnsembleClassifier::combine(std::vector<std::shared_ptr<const Classifier>> classifiers,
                                               const std::vector<std::string>& validationTexts,
                                               const std::vector<int>& validationTargets) {
  std::vector<Member> members;
  for (auto& c : classifiers)
    members.push_back({std::move(c), 1.0 / static_cast<double>(classifiers.size())});
  EnsembleClassifier ensemble(std::move(members), 1.0);
  if (validationTexts.empty()) return ensemble;
  const auto logProbabilities =
      memberLogProbabilities(ensemble.members_, validationTexts, ensemble.labels_.size());
  std::vector<double> weights;
  for (const auto& m : ensemble.members_) weights.push_back(m.weight);
  if (ensemble.members_.size() == 2) {
    double bestAccuracy = -1;
    for (int tenths = 1; tenths <= 9; ++tenths) {
      const std::vector<double> candidate = {tenths / 10.0, 1 - tenths / 10.0};
      const double a = accuracy(pool(logProbabilities, candidate), validationTargets);
      // Ties go to the more even split.
      if (a > bestAccuracy + 1e-12 ||
          (a > bestAccuracy - 1e-12 && std::abs(candidate[0] - 0.5) < std::abs(weights[0] - 0.5))) {
        bestAccuracy = a;
        weights = candidate;
      }
    }
  }
  for (std::size_t m = 0; m < weights.size(); ++m) ensemble.members_[m].weight = weights[m];
  ensemble.temperature_ = fitTemperature(pool(logProbabilities, weights), validationTargets);
  return ensemble;
}

EnsembleClassifier EnsembleClassifier::withMembers(
    std::vector<std::shared_ptr<const Classifier>> members) const {
  if (members.size() != members_.size())
    throw std::invalid_argument(
        fmt::format("this ensemble has {} members, not {}", members_.size(), members.size()));
  std::vector<Member> weighted;
  for (std::size_t m = 0; m < members.size(); ++m) {
    if (members[m]->kind() != members_[m].classifier->kind())
      throw std::invalid_argument(fmt::format("member {} of this ensemble is a {} model, not {}", m,
                                              members_[m].classifier->kind(), members[m]->kind()));
    weighted.push_back({std::move(members[m]), members_[m].weight});
  }
  EnsembleClassifier ensemble(std::move(weighted), temperature_);
  if (ensemble.labels_ != labels_) throw std::invalid_argument("the new members have other labels");
  return ensemble;
}

std::vector<std::vector<double>> EnsembleClassifier::pooled(const std::vector<std::string>& texts) const {
  std::vector<double> weights;
  for (const auto& m : members_) weights.push_back(m.weight);
  return pool(memberLogProbabilities(members_, texts, labels_.size()), weights);
}

std::vector<std::vector<Ranked>> EnsembleClassifier::predict(const std::vector<std::string>& texts) const {
  std::vector<std::vector<Ranked>> out;
  if (texts.empty()) return out;
  out.reserve(texts.size());
  for (const auto& scores : pooled(texts)) out.push_back(rankBySoftmax(scores, temperature_));
  return out;
}

nlohmann::json EnsembleClassifier::save(const std::filesystem::path& dir) const {
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : members_) {
    const auto kind = m.classifier->kind();
    std::filesystem::create_directories(dir / kind);
    members.push_back({{"kind", kind}, {"weight", m.weight}, {"settings", m.classifier->save(dir / kind)}});
  }
  return {{"members", members}, {"temperature", temperature_}};
}

EnsembleClassifier EnsembleClassifier::load(const std::filesystem::path& dir, const nlohmann::json& settings,
                                            std::vector<std::string> labels, const MemberLoader& loadMember) {
  std::vector<Member> members;
  double temperature = 0;
  try {
    temperature = settings.at("temperature").get<double>();
    for (const auto& m : settings.at("members")) {
      const auto kind = m.at("kind").get<std::string>();
      if (kind.empty() || kind.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos)
        throw ArtifactError(
            fmt::format("ensemble settings in model.json: member kind '{}' is not a folder name", kind));
      members.push_back(
          {loadMember(kind, dir / kind, m.at("settings"), labels), m.at("weight").get<double>()});
    }
  } catch (const nlohmann::json::exception& e) {
    throw ArtifactError(std::string("ensemble settings in model.json: ") + e.what());
  }
  if (!(temperature > 0))
    throw ArtifactError("ensemble settings in model.json: temperature must be positive");
  try {
    return EnsembleClassifier(std::move(members), temperature);
  } catch (const std::invalid_argument& e) {
    throw ArtifactError(std::string("ensemble settings in model.json: ") + e.what());
  }
}

}  // namespace shopdesk::model
