#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "store/connection.h"

namespace shopdesk::store {

//! A help article or next step shown beside an answer.
struct Recommendation {
  std::string title;
  std::string body;
  std::optional<std::string> actionLabel;
  std::optional<std::string> actionUrl;
};

//! A category of customer queries with the answer the store gives for it.
struct Category {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  std::string response;
  std::vector<Recommendation> recommendations;
  std::int64_t exampleCount = 0;  //!< training examples labelled with it (filled in when read)
};

//! One labelled query used for training; `source` says where it came from (import, relabel, …).
struct TrainingExample {
  std::int64_t id = 0;
  std::string query;
  std::string category;
  std::string source = "import";
};

//! What an import stored.
struct ImportSummary {
  std::int64_t received = 0;
  std::int64_t inserted = 0;
  std::int64_t duplicates = 0;                 //!< already stored, or repeated within the import
  std::vector<std::string> createdCategories;  //!< labels that were not categories before
};

//! A trained model registered in the store; its artifact lives in a model folder.
struct ModelVersion {
  std::int64_t id = 0;
  std::string version;  //!< unique name, also the artifact folder's name
  std::string kind;
  std::string artifactPath;
  std::string dataFingerprint;
  std::string metrics;  //!< the evaluation report, JSON text
  bool active = false;
  std::int64_t createdAt = 0;
};

//! Row counts for `shopdesk stats`.
struct StoreStats {
  int schemaVersion = 0;
  std::int64_t categories = 0;
  std::int64_t trainingExamples = 0;
  std::int64_t interactions = 0;
  std::int64_t feedback = 0;
  std::int64_t modelVersions = 0;
  std::int64_t trainingJobs = 0;
  std::vector<std::pair<std::string, std::int64_t>> examplesBySource;
};

//! Everything shopdesk persists. Implementations are thread-safe; each method is one transaction.
class Store {
 public:
  virtual ~Store() = default;

  //! Where the data lives, safe to print (no password).
  virtual std::string describe() const = 0;
  //! Schema version after migrations.
  virtual int schemaVersion() = 0;

  //! Stores `examples` all-or-nothing, skipping ones already stored, and creates missing categories.
  virtual ImportSummary addTrainingExamples(std::span<const TrainingExample> examples) = 0;
  //! Every training example, oldest first.
  virtual std::vector<TrainingExample> trainingExamples() = 0;

  //! Every category with its recommendations and example count, by name.
  virtual std::vector<Category> categories() = 0;
  //! Creates or updates categories by name (recommendations replaced), all-or-nothing.
  virtual void saveCategories(std::span<const Category> categories) = 0;

  //! Registers a model version (inactive); throws StoreError when the version name is taken.
  virtual void addModelVersion(const ModelVersion& version) = 0;
  //! Every model version, newest first.
  virtual std::vector<ModelVersion> modelVersions() = 0;
  //! The version being served, if any.
  virtual std::optional<ModelVersion> activeModelVersion() = 0;
  //! Makes `version` the only active one; throws StoreError when it does not exist.
  virtual void activateModelVersion(const std::string& version) = 0;
  //! Removes an inactive version; throws StoreError when it is active or does not exist.
  virtual void deleteModelVersion(const std::string& version) = 0;

  virtual StoreStats stats() = 0;
};

//! Opens the store at `url`: `sqlite:PATH` (append `?mode=ro` for read-only) or `postgresql://…`, and
//! migrates it. Throws StoreError with a message that names the database.
std::unique_ptr<Store> openStore(const std::string& url);

}  // namespace shopdesk::store
