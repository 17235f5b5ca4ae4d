#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "model/artifact.h"
#include "model/trainer.h"
#include "store/store.h"

namespace shopdesk::service {

//! A model version trained and registered by ModelRegistry::train.
struct TrainedModel {
  store::ModelVersion version;
  model::TrainingResult result;
};

//! Model versions: trains from the store's examples, writes artifacts under DATA_DIR/models/VERSION,
//! registers them in the store, activates and deletes them.
class ModelRegistry {
 public:
  ModelRegistry(store::Store& store, std::filesystem::path dataDir);

  //! Trains on every stored training example; the artifact is complete on disk before the version is
  //! registered, so an interrupted run leaves no version behind.
  TrainedModel train(const model::TrainingOptions& options, const std::vector<std::string>& outOfScope,
                     bool activate,
                     const std::function<void(const model::TrainingProgress&)>& onProgress = {});

  //! Loads a version's artifact, from its folder or, when this server lacks the folder, from the copy in the
  //! database; throws store::NotFoundError for an unknown version, model::ArtifactError for a corrupt
  //! artifact.
  model::LoadedModel load(const std::string& version);
  //! Loads the active version; throws store::StoreError when none is active.
  model::LoadedModel loadActive();
  //! Every version, newest first.
  std::vector<store::ModelVersion> versions();
  //! One version; throws store::NotFoundError when there is none of that name.
  store::ModelVersion find(const std::string& version);
  //! Activates `version` after checking that its artifact loads.
  void activate(const std::string& version);
  //! Deletes an inactive version and its artifact.
  void remove(const std::string& version);

 private:
  model::LoadedModel loadArtifact(const store::ModelVersion& version);
  std::filesystem::path localFolder(const std::string& version) const;

  store::Store& store_;
  std::filesystem::path dataDir_;
};

//! Queries of an out-of-scope file: CSV with a `text` column (any other columns are ignored).
std::vector<std::string> readOutOfScope(const std::filesystem::path& path);

}  // namespace shopdesk::service
