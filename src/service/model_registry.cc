#include "service/model_registry.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

#include "model/safetensors.h"
#include "service/artifact_bundle.h"
#include "service/example_file.h"

namespace shopdesk::service {

ModelRegistry::ModelRegistry(store::Store& store, std::filesystem::path dataDir)
    : store_(store), dataDir_(std::move(dataDir)) {}

TrainedModel ModelRegistry::train(const model::TrainingOptions& options,
                                  const std::vector<std::string>& outOfScope, bool activate,
                                  const std::function<void(const model::TrainingProgress&)>& onProgress) {
  std::vector<common::Example> examples;
  for (auto& e : store_.trainingExamples()) examples.push_back(std::move(e));
  TrainedModel trained;
  trained.result = model::train(examples, outOfScope, options, onProgress);

  // Versions are named by kind and UTC time, readable in a list and sortable; a suffix keeps them unique. The
  // name must be free both here and in the store: servers sharing a database train into folders of their
  // own, so another may have taken the name in the same second; the store then refuses it, and the next
  // suffix is tried.
  const auto now = std::chrono::system_clock::now();
  const std::string base = fmt::format("{}-{:%Y%m%d-%H%M%S}", trained.result.card.kind,
                                       std::chrono::floor<std::chrono::seconds>(now));
  const auto modelsDir = std::filesystem::absolute(dataDir_ / "models");
  trained.version.kind = trained.result.card.kind;
  trained.version.dataFingerprint = trained.result.card.dataFingerprint;
  trained.version.metrics = trained.result.card.metrics.dump();
  trained.version.createdAt = trained.result.card.createdAt;
  for (int n = 1;; ++n) {
    const std::string name = n == 1 ? base : fmt::format("{}-{}", base, n);
    const auto dir = modelsDir / name;
    if (std::filesystem::exists(dir)) continue;
    model::saveModel(*trained.result.classifier, trained.result.card, dir);
    trained.version.version = name;
    trained.version.artifactPath = dir.string();
    const auto discard = [&dir] {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    };
    try {
      store_.addModelVersion(trained.version, packFolder(dir));
      break;
    } catch (const store::ConflictError&) {
      discard();  // the next suffix
    } catch (...) {
      discard();
      throw;
    }
  }
  if (activate) {
    this->activate(trained.version.version);  // checked like any activation: what was just written must load
    trained.version.active = true;
  }
  return trained;
}

std::vector<store::ModelVersion> ModelRegistry::versions() { return store_.modelVersions(); }

store::ModelVersion ModelRegistry::find(const std::string& version) {
  auto found = store_.modelVersion(version);
  if (!found) throw store::NotFoundError(fmt::format("no model version '{}'", version));
  return std::move(*found);
}

model::LoadedModel ModelRegistry::load(const std::string& version) { return loadArtifact(find(version)); }

model::LoadedModel ModelRegistry::loadActive() {
  const auto active = store_.activeModelVersion();
  if (!active) throw store::StoreError("no active model: train one with 'shopdesk train --activate'");
  return loadArtifact(*active);
}

// A server on another machine than the one that trained a version has no folder at the recorded path: it
// recreates the folder once, under its own data directory, from the bytes kept in the database.
model::LoadedModel ModelRegistry::loadArtifact(const store::ModelVersion& version) {
  if (std::filesystem::exists(std::filesystem::path(version.artifactPath) / "model.json"))
    return model::loadModel(version.artifactPath);
  const auto local = localFolder(version.version);
  if (!std::filesystem::exists(local / "model.json")) {
    const auto bundle = store_.modelArtifact(version.version);
    if (!bundle) {
      throw model::ArtifactError(
          fmt::format("model version '{}': {} is missing and the database keeps no copy", version.version,
                      version.artifactPath));
    }
    try {
      unpackFolder(*bundle, local);
    } catch (const std::runtime_error& e) {
      throw model::ArtifactError(fmt::format("model version '{}': {}", version.version, e.what()));
    }
  }
  return model::loadModel(local);
}

std::filesystem::path ModelRegistry::localFolder(const std::string& version) const {
  // The name comes from the database and becomes a path: it must stay one folder inside models/.
  if (version.empty() || version == "." || version == ".." || version.find('/') != std::string::npos)
    throw model::ArtifactError(fmt::format("model version '{}' cannot name a folder", version));
  return std::filesystem::absolute(dataDir_ / "models" / version);
}

void ModelRegistry::activate(const std::string& version) {
  load(version);  // a version whose artifact does not load must never become the served one
  store_.activateModelVersion(version);
}

void ModelRegistry::remove(const std::string& version) {
  const auto found = find(version);
  store_.deleteModelVersion(version);
  std::error_code ignored;
  std::filesystem::remove_all(found.artifactPath, ignored);
  std::filesystem::remove_all(localFolder(version), ignored);  // this server's copy, when it made one
}

std::vector<std::string> readOutOfScope(const std::filesystem::path& path) {
  ExampleFileOptions options;
  options.labelColumn = "text";  // the file needs no label column
  options.maxLabelLength = options.maxTextLength;
  std::vector<std::string> texts;
  for (auto& row : readExampleFile(path, options)) texts.push_back(std::move(row.text));
  return texts;
}

}  // namespace shopdesk::service
