// SqlStore: model versions, their artifacts, change notifications, training jobs and analysis jobs.
#include <fmt/format.h>

#include <thread>

#include "store/postgres_connection.h"
#include "store/sql_store.h"
#include "store/sql_util.h"

namespace shopdesk::store {

namespace {

TrainingJob readJob(SqlRow& row) {
  TrainingJob job;
  job.id = toInt(row[0]);
  job.kind = std::move(*row[1]);
  job.status = std::move(*row[2]);
  job.params = row[3].value_or("{}");
  job.progress = row[4].value_or("{}");
  job.error = std::move(row[5]);
  job.modelVersion = std::move(row[6]);
  job.createdAt = toInt(row[7]);
  if (row[8]) job.finishedAt = toInt(row[8]);
  return job;
}

constexpr const char* kJobColumns =
    "id, kind, status, params, progress, error, model_version, created_at, finished_at";

AnalysisJob readAnalysisJob(SqlRow& row) {
  AnalysisJob job;
  job.id = toInt(row[0]);
  job.kind = std::move(*row[1]);
  job.status = std::move(*row[2]);
  job.params = std::move(*row[3]);
  job.progress = std::move(*row[4]);
  job.result = std::move(row[5]);
  job.error = std::move(row[6]);
  job.createdAt = toInt(row[7]);
  if (row[8]) job.finishedAt = toInt(row[8]);
  return job;
}

}  // namespace

void SqlStore::addModelVersion(const ModelVersion& v, const std::string& artifact) {
  if (v.version.empty() || v.kind.empty()) throw StoreError("a model version needs a name and a kind");
  std::lock_guard lock(mutex_);
  if (count(connection_->query("SELECT COUNT(*) FROM model_versions WHERE version = ?", {v.version}))) {
    throw ConflictError(fmt::format("model version '{}' already exists", v.version));
  }
  // PostgreSQL takes bytea as hex text; SQLite stores the bytes as given.
  const SqlParam bytes =
      connection_->dialect() == Dialect::kPostgres ? SqlParam(toHex(artifact)) : SqlParam(artifact);
  Transaction transaction(*connection_);
  connection_->execute(
      "INSERT INTO model_versions (version, kind, artifact_path, data_fingerprint, metrics, is_active, "
      "created_at) "
      "VALUES (?, ?, ?, ?, ?, 0, ?)",
      {v.version, v.kind, v.artifactPath, v.dataFingerprint, v.metrics,
       v.createdAt ? v.createdAt : common::nowMillis()});
  connection_->execute("INSERT INTO model_artifacts (version, artifact) VALUES (?, ?)", {v.version, bytes});
  transaction.commit();
}

std::vector<ModelVersion> SqlStore::selectModelVersions(const std::string& where, const SqlParams& params) {
  std::vector<ModelVersion> versions;
  for (auto& row : connection_->query(
           "SELECT id, version, kind, artifact_path, data_fingerprint, metrics, is_active, created_at "
           "FROM model_versions " +
               where + " ORDER BY created_at DESC, id DESC",
           params)) {
    ModelVersion v;
    v.id = toInt(row[0]);
    v.version = std::move(*row[1]);
    v.kind = std::move(*row[2]);
    v.artifactPath = row[3].value_or("");
    v.dataFingerprint = row[4].value_or("");
    v.metrics = row[5].value_or("{}");
    v.active = toInt(row[6]) != 0;
    v.createdAt = toInt(row[7]);
    versions.push_back(std::move(v));
  }
  return versions;
}

std::vector<ModelVersion> SqlStore::modelVersions() {
  std::lock_guard lock(mutex_);
  return selectModelVersions("", {});
}

std::optional<ModelVersion> SqlStore::modelVersion(const std::string& version) {
  std::lock_guard lock(mutex_);
  auto versions = selectModelVersions("WHERE version = ?", {version});
  if (versions.empty()) return std::nullopt;
  return std::move(versions.front());
}

std::optional<ModelVersion> SqlStore::activeModelVersion() {
  std::lock_guard lock(mutex_);
  auto versions = selectModelVersions("WHERE is_active = 1", {});
  if (versions.empty()) return std::nullopt;
  return std::move(versions.front());
}

void SqlStore::activateModelVersion(const std::string& version) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*connection_);
  connection_->execute("UPDATE model_versions SET is_active = 0 WHERE is_active = 1 AND version <> ?",
                       {version});
  if (connection_->execute("UPDATE model_versions SET is_active = 1 WHERE version = ?", {version}) != 1) {
    throw NotFoundError(fmt::format("no model version '{}'", version));
  }
  if (listener_) connection_->query("SELECT pg_notify('shopdesk_changes', ?)", {version});
  transaction.commit();
}

void SqlStore::deleteModelVersion(const std::string& version) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*connection_);
  const auto rows = connection_->query("SELECT is_active FROM model_versions WHERE version = ?", {version});
  if (rows.empty()) throw StoreError(fmt::format("no model version '{}'", version));
  if (toInt(rows[0][0]))
    throw StoreError(fmt::format("model version '{}' is active: activate another one first", version));
  connection_->execute("DELETE FROM model_artifacts WHERE version = ?", {version});
  connection_->execute("DELETE FROM model_versions WHERE version = ?", {version});
  transaction.commit();
}

std::optional<std::string> SqlStore::modelArtifact(const std::string& version) {
  std::lock_guard lock(mutex_);
  auto rows = connection_->query("SELECT artifact FROM model_artifacts WHERE version = ?", {version});
  if (rows.empty() || !rows[0][0]) return std::nullopt;
  return connection_->dialect() == Dialect::kPostgres ? fromHex(*rows[0][0]) : std::move(*rows[0][0]);
}

bool SqlStore::waitForChange(std::chrono::milliseconds timeout) {
  if (!listener_) {
    std::this_thread::sleep_for(timeout);
    return false;
  }
  std::lock_guard lock(listenerMutex_);
  return listener_->waitForNotification(timeout);
}

bool SqlStore::ping() {
  try {
    std::lock_guard lock(mutex_);
    connection_->query("SELECT 1", {});
    return true;
  } catch (const StoreError&) {
    return false;
  }
}

TrainingJob SqlStore::startTrainingJob(const std::string& kind, const std::string& params) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*connection_);
  if (!connection_->query("SELECT id FROM training_jobs WHERE status = 'running'", {}).empty()) {
    throw ConflictError("a training job is already running: wait for it or cancel it");
  }
  const auto now = common::nowMillis();
  auto rows = connection_->query(
      "INSERT INTO training_jobs (kind, status, params, progress, created_at, started_at) "
      "VALUES (?, 'running', ?, '{}', ?, ?) RETURNING id",
      {kind, params, now, now});
  transaction.commit();
  TrainingJob job;
  job.id = toInt(rows.at(0).at(0));
  job.kind = kind;
  job.status = "running";
  job.params = params;
  job.progress = "{}";
  job.createdAt = now;
  return job;
}

void SqlStore::updateTrainingJob(const TrainingJob& job) {
  std::lock_guard lock(mutex_);
  connection_->execute(
      "UPDATE training_jobs SET status = ?, progress = ?, error = ?, model_version = ?, finished_at = ? "
      "WHERE id = ?",
      {job.status, job.progress, optionalParam(job.error), optionalParam(job.modelVersion),
       job.finishedAt ? SqlParam(*job.finishedAt) : SqlParam(), job.id});
}

std::optional<TrainingJob> SqlStore::trainingJob(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto rows = connection_->query(fmt::format("SELECT {} FROM training_jobs WHERE id = ?", kJobColumns), {id});
  if (rows.empty()) return std::nullopt;
  return readJob(rows[0]);
}

std::vector<TrainingJob> SqlStore::trainingJobs(std::int64_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<TrainingJob> jobs;
  for (auto& row : connection_->query(
           fmt::format("SELECT {} FROM training_jobs ORDER BY id DESC LIMIT ?", kJobColumns), {limit})) {
    jobs.push_back(readJob(row));
  }
  return jobs;
}

std::int64_t SqlStore::failInterruptedTrainingJobs() {
  std::lock_guard lock(mutex_);
  return connection_->execute(
      "UPDATE training_jobs SET status = 'failed', error = 'interrupted: the server stopped while it ran', "
      "finished_at = ? WHERE status = 'running'",
      {common::nowMillis()});
}

AnalysisJob SqlStore::startAnalysisJob(const std::string& kind, const std::string& params) {
  std::lock_guard lock(mutex_);
  AnalysisJob job;
  job.kind = kind;
  job.status = "running";
  job.params = params;
  job.progress = "{}";
  job.createdAt = common::nowMillis();
  job.id = toInt(connection_
                     ->query("INSERT INTO analysis_jobs (kind, status, params, progress, created_at) "
                             "VALUES (?, 'running', ?, '{}', ?) RETURNING id",
                             {kind, params, job.createdAt})
                     .at(0)
                     .at(0));
  return job;
}

void SqlStore::updateAnalysisJob(const AnalysisJob& job) {
  std::lock_guard lock(mutex_);
  connection_->execute(
      "UPDATE analysis_jobs SET status = ?, progress = ?, result = ?, error = ?, finished_at = ? WHERE id = "
      "?",
      {job.status, job.progress, optionalParam(job.result), optionalParam(job.error),
       job.finishedAt ? SqlParam(*job.finishedAt) : SqlParam(), job.id});
}

std::optional<AnalysisJob> SqlStore::analysisJob(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto rows = connection_->query(
      "SELECT id, kind, status, params, progress, result, error, created_at, finished_at FROM analysis_jobs "
      "WHERE id = ?",
      {id});
  if (rows.empty()) return std::nullopt;
  return readAnalysisJob(rows[0]);
}

std::int64_t SqlStore::failInterruptedAnalysisJobs() {
  std::lock_guard lock(mutex_);
  return connection_->execute(
      "UPDATE analysis_jobs SET status = 'failed', error = 'interrupted: the server stopped while it ran', "
      "finished_at = ? WHERE status = 'running'",
      {common::nowMillis()});
}

std::int64_t SqlStore::deleteAnalysisJobsBefore(std::int64_t before) {
  std::lock_guard lock(mutex_);
  return connection_->execute("DELETE FROM analysis_jobs WHERE finished_at < ?", {before});
}

}  // namespace shopdesk::store
