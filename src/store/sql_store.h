#pragma once

#include <mutex>

#include "store/store.h"

namespace shopdesk::store {

//! The Store written once in SQL that both SQLite and PostgreSQL run; the connection supplies the dialect.
class SqlStore final : public Store {
 public:
  //! `listener`, for PostgreSQL, is a second session that LISTENs for model and catalog changes; null for
  //! SQLite.
  SqlStore(std::unique_ptr<Connection> connection, std::string description,
           std::unique_ptr<class PostgresConnection> listener = nullptr);
  ~SqlStore() override;

  std::string describe() const override { return description_; }
  int schemaVersion() override;
  ImportSummary addTrainingExamples(std::span<const TrainingExample> examples) override;
  std::vector<TrainingExample> trainingExamples() override;
  std::vector<Category> categories() override;
  void saveCategories(std::span<const Category> categories) override;
  void addModelVersion(const ModelVersion& version, const std::string& artifact) override;
  std::vector<ModelVersion> modelVersions() override;
  std::optional<ModelVersion> modelVersion(const std::string& version) override;
  std::optional<ModelVersion> activeModelVersion() override;
  void activateModelVersion(const std::string& version) override;
  void deleteModelVersion(const std::string& version) override;
  std::optional<std::string> modelArtifact(const std::string& version) override;
  std::int64_t catalogRevision() override;
  bool waitForChange(std::chrono::milliseconds timeout) override;
  bool ping() override;

  Page<TrainingExample> findTrainingExamples(const ExampleFilter& filter) override;
  void deleteTrainingExample(std::int64_t id) override;
  void deleteCategory(const std::string& name, const std::optional<std::string>& reassignTo) override;

  std::vector<std::int64_t> recordInteractions(std::span<const Interaction> interactions) override;
  std::optional<Interaction> interaction(std::int64_t id) override;
  Page<Interaction> findInteractions(const InteractionFilter& filter) override;
  void addFeedback(std::int64_t interactionId, const std::string& tokenHash,
                   const Feedback& feedback) override;
  std::vector<std::int64_t> interactionsWithEntity(const std::string& kind,
                                                   const std::string& value) override;
  std::int64_t eraseInteractions(std::span<const std::int64_t> ids) override;
  void recordClarification(std::int64_t interactionId, const std::string& tokenHash,
                           const std::optional<std::string>& choice, const std::string& response) override;
  bool sessionLastAsked(const std::string& sessionId) override;
  void reviewInteraction(std::int64_t id, ReviewAction action,
                         const std::optional<std::string>& category) override;
  TrafficStats trafficStats(std::int64_t from) override;
  std::int64_t deleteInteractionsBefore(std::int64_t before, std::int64_t limit) override;

  TrainingJob startTrainingJob(const std::string& kind, const std::string& params) override;
  void updateTrainingJob(const TrainingJob& job) override;
  std::optional<TrainingJob> trainingJob(std::int64_t id) override;
  std::vector<TrainingJob> trainingJobs(std::int64_t limit) override;
  std::int64_t failInterruptedTrainingJobs() override;
  AnalysisJob startAnalysisJob(const std::string& kind, const std::string& params) override;
  void updateAnalysisJob(const AnalysisJob& job) override;
  std::optional<AnalysisJob> analysisJob(std::int64_t id) override;
  std::int64_t failInterruptedAnalysisJobs() override;
  std::int64_t deleteAnalysisJobsBefore(std::int64_t before) override;

  void addAdminToken(const AdminToken& token, const std::string& tokenHash) override;
  std::vector<AdminToken> adminTokens() override;
  std::optional<AdminToken> adminTokenByHash(const std::string& tokenHash) override;
  void revokeAdminToken(const std::string& name, std::int64_t at) override;
  void recordAudit(const AuditEntry& entry) override;
  Page<AuditEntry> findAudit(const AuditFilter& filter) override;

  StoreStats stats() override;

 private:
  std::int64_t count(const char* sql);
  // Inside a write transaction that changed the catalog: counts the revision up and, on PostgreSQL, wakes
  // every server's watcher when the transaction commits.
  void catalogChanged();
  static std::int64_t count(const std::vector<SqlRow>& rows);
  std::vector<ModelVersion> selectModelVersions(const std::string& where, const SqlParams& params);

  std::mutex mutex_;
  std::unique_ptr<Connection> connection_;
  std::string description_;
  std::mutex listenerMutex_;
  std::unique_ptr<PostgresConnection> listener_;
};

}  // namespace shopdesk::store
