#include "model/artifact.h"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>

#include "model/ensemble_classifier.h"
#include "model/linear_classifier.h"
#include "model/ngram_classifier.h"
#include "model/safetensors.h"
#include "model/torch_module.h"

namespace shopdesk::model {

nlohmann::json ModelCard::toJson() const {
  return {{"format", 1},
          {"kind", kind},
          {"labels", labels},
          {"settings", settings},
          {"data_fingerprint", dataFingerprint},
          {"policy", policy.toJson()},
          {"metrics", metrics},
          {"created_at", createdAt}};
}

ModelCard ModelCard::fromJson(const nlohmann::json& json) {
  ModelCard card;
  card.kind = json.at("kind").get<std::string>();
  card.labels = json.at("labels").get<std::vector<std::string>>();
  card.settings = json.at("settings");
  card.dataFingerprint = json.value("data_fingerprint", "");
  card.policy = AnswerPolicy::fromJson(json.at("policy"));
  card.metrics = json.value("metrics", nlohmann::json::object());
  card.createdAt = json.value("created_at", std::int64_t{0});
  return card;
}

void saveModel(const Classifier& classifier, ModelCard card, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  card.kind = classifier.kind();
  card.labels = classifier.labels();
  card.settings = classifier.save(dir);
  const auto temporary = dir / fmt::format("model.json.tmp{}", ::getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << card.toJson().dump(2) << '\n';
    out.flush();
    if (!out) throw ArtifactError(fmt::format("{}: cannot write model.json", dir.string()));
  }
  std::filesystem::rename(temporary, dir / "model.json");
}

std::shared_ptr<const Classifier> loadClassifier(const std::string& kind, const std::filesystem::path& dir,
                                                 const nlohmann::json& settings,
                                                 const std::vector<std::string>& labels) {
  if (kind == "linear")
    return std::make_shared<LinearClassifier>(LinearClassifier::load(dir, settings, labels));
  if (kind == "ngram") return std::make_shared<NgramClassifier>(NgramClassifier::load(dir, settings, labels));
  if (kind == "ensemble") {
    return std::make_shared<EnsembleClassifier>(
        EnsembleClassifier::load(dir, settings, labels, loadClassifier));
  }
  if (kind == "transformer") return torchModule().loadTransformer(dir, settings, labels);
  throw ArtifactError(fmt::format("{}: unknown model kind '{}'", (dir / "model.json").string(), kind));
}

LoadedModel loadModel(const std::filesystem::path& dir) {
  const auto cardPath = dir / "model.json";
  std::ifstream in(cardPath);
  if (!in) throw ArtifactError(fmt::format("{}: cannot read: {}", cardPath.string(), std::strerror(errno)));
  LoadedModel loaded;
  try {
    loaded.card = ModelCard::fromJson(nlohmann::json::parse(in));
  } catch (const nlohmann::json::exception& e) {
    throw ArtifactError(fmt::format("{}: {}", cardPath.string(), e.what()));
  }
  if (loaded.card.labels.size() < 2)
    throw ArtifactError(fmt::format("{}: fewer than two labels", cardPath.string()));
  loaded.classifier = loadClassifier(loaded.card.kind, dir, loaded.card.settings, loaded.card.labels);
  return loaded;
}

}  // namespace shopdesk::model
