#include "store/sql_store.h"

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <set>

#include "store/migrations.h"
#include "text/fingerprint.h"

namespace shopdesk::store {

namespace {

// Rows per multi-row INSERT: one round trip per chunk instead of per row keeps PostgreSQL imports fast, and
// 5 parameters × 200 rows stays far below both databases' parameter limits.
constexpr std::size_t kInsertChunk = 200;

std::int64_t nowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t toInt(const std::optional<std::string>& value) { return value ? std::stoll(*value) : 0; }

std::string placeholderRows(std::size_t rows, std::size_t columns) {
  std::string row = "(";
  for (std::size_t c = 0; c < columns; ++c) row += c ? ", ?" : "?";
  row += ")";
  std::string out;
  for (std::size_t r = 0; r < rows; ++r) out += (r ? ", " : "") + row;
  return out;
}

}  // namespace

SqlStore::SqlStore(std::unique_ptr<Connection> connection, std::string description)
    : connection_(std::move(connection)), description_(std::move(description)) {}

int SqlStore::schemaVersion() {
  std::lock_guard lock(mutex_);
  return store::schemaVersion(*connection_);
}

ImportSummary SqlStore::addTrainingExamples(std::span<const TrainingExample> examples) {
  for (const auto& example : examples) {
    if (example.query.empty() || example.category.empty() || example.source.empty()) {
      throw StoreError("a training example needs a query, a category and a source");
    }
  }
  std::lock_guard lock(mutex_);
  ImportSummary summary;
  summary.received = static_cast<std::int64_t>(examples.size());
  const std::int64_t now = nowMillis();
  Transaction transaction(*connection_);

  std::set<std::string> known;
  for (const auto& row : connection_->query("SELECT name FROM categories"))
    known.insert(row.at(0).value_or(""));
  for (const auto& example : examples) {
    if (known.insert(example.category).second) {
      connection_->execute(
          "INSERT INTO categories (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
          {example.category, now});
      summary.createdCategories.push_back(example.category);
    }
  }

  for (std::size_t begin = 0; begin < examples.size(); begin += kInsertChunk) {
    const std::size_t n = std::min(kInsertChunk, examples.size() - begin);
    SqlParams params;
    params.reserve(n * 5);
    for (const auto& example : examples.subspan(begin, n)) {
      params.emplace_back(example.query);
      params.emplace_back(example.category);
      params.emplace_back(text::fingerprintHex(example.query));
      params.emplace_back(example.source);
      params.emplace_back(now);
    }
    summary.inserted += connection_->execute(
        "INSERT INTO model_training_data (query, category, query_hash, source, created_at) VALUES " +
            placeholderRows(n, 5) + " ON CONFLICT (query_hash, category) DO NOTHING",
        params);
  }
  transaction.commit();
  summary.duplicates = summary.received - summary.inserted;
  return summary;
}

std::vector<TrainingExample> SqlStore::trainingExamples() {
  std::lock_guard lock(mutex_);
  std::vector<TrainingExample> examples;
  for (auto& row :
       connection_->query("SELECT id, query, category, source FROM model_training_data ORDER BY id")) {
    examples.push_back({toInt(row[0]), std::move(*row[1]), std::move(*row[2]), std::move(*row[3])});
  }
  return examples;
}

std::vector<Category> SqlStore::categories() {
  std::lock_guard lock(mutex_);
  std::vector<Category> categories;
  std::map<std::int64_t, std::size_t> byId;
  for (auto& row :
       connection_->query("SELECT c.id, c.name, c.description, c.response, "
                          "(SELECT COUNT(*) FROM model_training_data t WHERE t.category = c.name) "
                          "FROM categories c ORDER BY c.name")) {
    Category category;
    category.id = toInt(row[0]);
    category.name = std::move(*row[1]);
    category.description = std::move(*row[2]);
    category.response = std::move(*row[3]);
    category.exampleCount = toInt(row[4]);
    byId[category.id] = categories.size();
    categories.push_back(std::move(category));
  }
  for (auto& row : connection_->query(
           "SELECT category_id, title, body, action_label, action_url FROM category_recommendations "
           "ORDER BY category_id, position")) {
    auto it = byId.find(toInt(row[0]));
    if (it == byId.end()) continue;
    categories[it->second].recommendations.push_back(
        {std::move(*row[1]), std::move(*row[2]), std::move(row[3]), std::move(row[4])});
  }
  return categories;
}

void SqlStore::saveCategories(std::span<const Category> categories) {
  for (const auto& category : categories) {
    if (category.name.empty()) throw StoreError("a category needs a name");
  }
  std::lock_guard lock(mutex_);
  Transaction transaction(*connection_);
  for (const auto& category : categories) {
    connection_->execute(
        "INSERT INTO categories (name, description, response, created_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET description = excluded.description, response = excluded.response",
        {category.name, category.description, category.response, nowMillis()});
    const auto id =
        toInt(connection_->query("SELECT id FROM categories WHERE name = ?", {category.name}).at(0)[0]);
    connection_->execute("DELETE FROM category_recommendations WHERE category_id = ?", {id});
    std::int64_t position = 0;
    for (const auto& r : category.recommendations) {
      const auto optional = [](const std::optional<std::string>& v) { return v ? SqlParam(*v) : SqlParam(); };
      connection_->execute(
          "INSERT INTO category_recommendations (category_id, position, title, body, action_label, "
          "action_url) "
          "VALUES (?, ?, ?, ?, ?, ?)",
          {id, position++, r.title, r.body, optional(r.actionLabel), optional(r.actionUrl)});
    }
  }
  transaction.commit();
}

void SqlStore::addModelVersion(const ModelVersion& v) {
  if (v.version.empty() || v.kind.empty()) throw StoreError("a model version needs a name and a kind");
  std::lock_guard lock(mutex_);
  if (count(connection_->query("SELECT COUNT(*) FROM model_versions WHERE version = ?", {v.version}))) {
    throw StoreError(fmt::format("model version '{}' already exists", v.version));
  }
  connection_->execute(
      "INSERT INTO model_versions (version, kind, artifact_path, data_fingerprint, metrics, is_active, "
      "created_at) "
      "VALUES (?, ?, ?, ?, ?, 0, ?)",
      {v.version, v.kind, v.artifactPath, v.dataFingerprint, v.metrics,
       v.createdAt ? v.createdAt : nowMillis()});
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
    throw StoreError(fmt::format("no model version '{}'", version));
  }
  transaction.commit();
}

void SqlStore::deleteModelVersion(const std::string& version) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*connection_);
  const auto rows = connection_->query("SELECT is_active FROM model_versions WHERE version = ?", {version});
  if (rows.empty()) throw StoreError(fmt::format("no model version '{}'", version));
  if (toInt(rows[0][0]))
    throw StoreError(fmt::format("model version '{}' is active: activate another one first", version));
  connection_->execute("DELETE FROM model_versions WHERE version = ?", {version});
  transaction.commit();
}

std::int64_t SqlStore::count(const std::vector<SqlRow>& rows) { return toInt(rows.at(0).at(0)); }

std::int64_t SqlStore::count(const char* sql) { return toInt(connection_->query(sql).at(0)[0]); }

StoreStats SqlStore::stats() {
  std::lock_guard lock(mutex_);
  StoreStats stats;
  stats.schemaVersion = store::schemaVersion(*connection_);
  stats.categories = count("SELECT COUNT(*) FROM categories");
  stats.trainingExamples = count("SELECT COUNT(*) FROM model_training_data");
  stats.interactions = count("SELECT COUNT(*) FROM customer_interactions");
  stats.feedback = count("SELECT COUNT(*) FROM feedback");
  stats.modelVersions = count("SELECT COUNT(*) FROM model_versions");
  stats.trainingJobs = count("SELECT COUNT(*) FROM training_jobs");
  for (auto& row : connection_->query(
           "SELECT source, COUNT(*) FROM model_training_data GROUP BY source ORDER BY source")) {
    stats.examplesBySource.emplace_back(std::move(*row[0]), toInt(row[1]));
  }
  return stats;
}

}  // namespace shopdesk::store
