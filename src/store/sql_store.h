#pragma once

#include <mutex>

#include "store/store.h"

namespace shopdesk::store {

//! The Store written once in SQL that both SQLite and PostgreSQL run; the connection supplies the dialect.
class SqlStore final : public Store {
 public:
  SqlStore(std::unique_ptr<Connection> connection, std::string description);

  std::string describe() const override { return description_; }
  int schemaVersion() override;
  ImportSummary addTrainingExamples(std::span<const TrainingExample> examples) override;
  std::vector<TrainingExample> trainingExamples() override;
  std::vector<Category> categories() override;
  void saveCategories(std::span<const Category> categories) override;
  void addModelVersion(const ModelVersion& version) override;
  std::vector<ModelVersion> modelVersions() override;
  std::optional<ModelVersion> activeModelVersion() override;
  void activateModelVersion(const std::string& version) override;
  void deleteModelVersion(const std::string& version) override;
  StoreStats stats() override;

 private:
  std::int64_t count(const char* sql);
  static std::int64_t count(const std::vector<SqlRow>& rows);
  std::vector<ModelVersion> selectModelVersions(const std::string& where, const SqlParams& params);

  std::mutex mutex_;
  std::unique_ptr<Connection> connection_;
  std::string description_;
};

}  // namespace shopdesk::store
