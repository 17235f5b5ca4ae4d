#include "store/sql_store.h"

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <set>

#include "store/migrations.h"
#include "store/postgres_connection.h"
#include "store/sql_util.h"
#include "text/fingerprint.h"

namespace shopdesk::store {

namespace {

// Rows per multi-row INSERT: one round trip per chunk instead of per row keeps PostgreSQL imports fast, and
// 5 parameters × 200 rows stays far below both databases' parameter limits.
constexpr std::size_t kInsertChunk = 200;

std::string placeholderRows(std::size_t rows, std::size_t columns) {
  std::string row = "(";
  for (std::size_t c = 0; c < columns; ++c) row += c ? ", ?" : "?";
  row += ")";
  std::string out;
  for (std::size_t r = 0; r < rows; ++r) out += (r ? ", " : "") + row;
  return out;
}

}  // namespace

SqlStore::SqlStore(std::unique_ptr<Connection> connection, std::string description,
                   std::unique_ptr<PostgresConnection> listener)
    : connection_(std::move(connection)),
      description_(std::move(description)),
      listener_(std::move(listener)) {}

SqlStore::~SqlStore() = default;

int SqlStore::schemaVersion() {
  std::lock_guard lock(mutex_);
  return store::schemaVersion(*connection_);
}

ImportSummary SqlStore::addTrainingExamples(std::span<const TrainingExample> examples) {
  for (const auto& example : examples) {
    if (example.text.empty() || example.label.empty() || example.source.empty()) {
      throw StoreError("a training example needs a query, a category and a source");
    }
  }
  std::lock_guard lock(mutex_);
  ImportSummary summary;
  summary.received = static_cast<std::int64_t>(examples.size());
  const std::int64_t now = common::nowMillis();
  Transaction transaction(*connection_);

  std::set<std::string> known;
  for (const auto& row : connection_->query("SELECT name FROM categories"))
    known.insert(row.at(0).value_or(""));
  for (const auto& example : examples) {
    if (known.insert(example.label).second) {
      connection_->execute(
          "INSERT INTO categories (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
          {example.label, now});
      summary.createdCategories.push_back(example.label);
    }
  }
  if (!summary.createdCategories.empty()) catalogChanged();

  for (std::size_t begin = 0; begin < examples.size(); begin += kInsertChunk) {
    const std::size_t n = std::min(kInsertChunk, examples.size() - begin);
    SqlParams params;
    params.reserve(n * 5);
    for (const auto& example : examples.subspan(begin, n)) {
      params.emplace_back(example.text);
      params.emplace_back(example.label);
      params.emplace_back(text::fingerprintHex(example.text));
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
    examples.push_back({{std::move(*row[1]), std::move(*row[2])}, toInt(row[0]), std::move(*row[3])});
  }
  return examples;
}

Page<TrainingExample> SqlStore::findTrainingExamples(const ExampleFilter& filter) {
  std::string where;
  SqlParams params;
  if (filter.category) {
    where += " WHERE category = ?";
    params.emplace_back(*filter.category);
  }
  if (filter.search) {
    where += where.empty() ? " WHERE " : " AND ";
    where += "LOWER(query) LIKE ? ESCAPE '!'";
    std::string pattern;
    for (char c : *filter.search) {
      if (c == '%' || c == '_' || c == '!') pattern += '!';
      pattern += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    params.emplace_back("%" + pattern + "%");
  }
  std::lock_guard lock(mutex_);
  Page<TrainingExample> page;
  page.total =
      toInt(connection_->query("SELECT COUNT(*) FROM model_training_data" + where, params).at(0).at(0));
  params.emplace_back(filter.limit);
  params.emplace_back(filter.offset);
  for (auto& row : connection_->query("SELECT id, query, category, source FROM model_training_data" + where +
                                          " ORDER BY id DESC LIMIT ? OFFSET ?",
                                      params)) {
    page.items.push_back({{std::move(*row[1]), std::move(*row[2])}, toInt(row[0]), std::move(*row[3])});
  }
  return page;
}

void SqlStore::deleteTrainingExample(std::int64_t id) {
  std::lock_guard lock(mutex_);
  if (connection_->execute("DELETE FROM model_training_data WHERE id = ?", {id}) == 0) {
    throw NotFoundError(fmt::format("no training example {}", id));
  }
}

void SqlStore::deleteCategory(const std::string& name, const std::optional<std::string>& reassignTo) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*connection_);
  if (connection_->query("SELECT 1 FROM categories WHERE name = ?", {name}).empty()) {
    throw NotFoundError(fmt::format("no category '{}'", name));
  }
  const auto used = toInt(
      connection_->query("SELECT COUNT(*) FROM model_training_data WHERE category = ?", {name}).at(0).at(0));
  if (used > 0) {
    if (!reassignTo) {
      throw ConflictError(
          fmt::format("category '{}' has {} training examples: move them to another category "
                      "(reassign_to) or delete them first",
                      name, used));
    }
    if (*reassignTo == name ||
        connection_->query("SELECT 1 FROM categories WHERE name = ?", {*reassignTo}).empty()) {
      throw NotFoundError(fmt::format("no other category '{}' to move the examples to", *reassignTo));
    }
    // An example already present under the target category would collide: drop the duplicate first.
    connection_->execute(
        "DELETE FROM model_training_data WHERE category = ? AND query_hash IN "
        "(SELECT query_hash FROM model_training_data WHERE category = ?)",
        {name, *reassignTo});
    connection_->execute("UPDATE model_training_data SET category = ? WHERE category = ?",
                         {*reassignTo, name});
  }
  connection_->execute("DELETE FROM categories WHERE name = ?", {name});
  catalogChanged();
  transaction.commit();
}

std::vector<Category> SqlStore::categories() {
  std::lock_guard lock(mutex_);
  std::vector<Category> categories;
  std::map<std::int64_t, std::size_t> byId;
  for (auto& row :
       connection_->query("SELECT c.id, c.name, c.description, c.response, c.small_talk, "
                          "(SELECT COUNT(*) FROM model_training_data t WHERE t.category = c.name) "
                          "FROM categories c ORDER BY c.name")) {
    Category category;
    category.id = toInt(row[0]);
    category.name = std::move(*row[1]);
    category.description = std::move(*row[2]);
    category.response = std::move(*row[3]);
    category.smallTalk = toInt(row[4]) != 0;
    category.exampleCount = toInt(row[5]);
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
        "INSERT INTO categories (name, description, response, small_talk, created_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET description = excluded.description, response = excluded.response, "
        "small_talk = excluded.small_talk",
        {category.name, category.description, category.response, std::int64_t{category.smallTalk},
         common::nowMillis()});
    const auto id =
        toInt(connection_->query("SELECT id FROM categories WHERE name = ?", {category.name}).at(0)[0]);
    connection_->execute("DELETE FROM category_recommendations WHERE category_id = ?", {id});
    std::int64_t position = 0;
    for (const auto& r : category.recommendations) {
      connection_->execute(
          "INSERT INTO category_recommendations (category_id, position, title, body, action_label, "
          "action_url) "
          "VALUES (?, ?, ?, ?, ?, ?)",
          {id, position++, r.title, r.body, optionalParam(r.actionLabel), optionalParam(r.actionUrl)});
    }
  }
  catalogChanged();
  transaction.commit();
}

std::int64_t SqlStore::catalogRevision() {
  std::lock_guard lock(mutex_);
  return count("SELECT revision FROM catalog_revision WHERE id = 1");
}

void SqlStore::catalogChanged() {
  connection_->execute("UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1");
  if (listener_) connection_->query("SELECT pg_notify('shopdesk_changes', 'catalog')");
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
