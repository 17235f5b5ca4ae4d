#include "store/store_copy.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fmt/std.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "store/migrations.h"
#include "store/sql_util.h"
#include "store/sqlite_backup.h"
#include "store/sqlite_connection.h"
#include "store/store.h"

namespace shopdesk::store {

namespace {

// Parents before the rows that refer to them. schema_migrations is each store's own, catalog_revision's
// single row is set rather than inserted, and analysis_jobs holds results computed from the copied rows,
// which the new store computes again when asked.
const std::vector<std::string> kTables = {"categories",
                                          "category_recommendations",
                                          "model_training_data",
                                          "model_versions",
                                          "model_artifacts",
                                          "customer_interactions",
                                          "feedback",
                                          "interaction_entities",
                                          "training_jobs",
                                          "admin_tokens",
                                          "audit_log"};
const std::set<std::string> kOwnRows = {"schema_migrations", "catalog_revision", "analysis_jobs"};
constexpr std::int64_t kBatch = 500;

struct Column {
  std::string name;
  bool blob = false;
};

std::set<std::string> tables(Connection& connection) {
  const auto rows = connection.query(
      connection.dialect() == Dialect::kSqlite
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"
          : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_type = 'BASE TABLE'");
  std::set<std::string> out;
  for (const auto& row : rows) out.insert(*row[0]);
  return out;
}

std::vector<Column> columns(Connection& connection, const std::string& table) {
  const auto rows = connection.query(connection.dialect() == Dialect::kSqlite
                                         ? "SELECT name, type FROM pragma_table_info(?) ORDER BY cid"
                                         : "SELECT column_name, data_type FROM information_schema.columns "
                                           "WHERE table_schema = current_schema() "
                                           "AND table_name = ? ORDER BY ordinal_position",
                                     {table});
  std::vector<Column> out;
  for (const auto& row : rows) out.push_back({*row[0], *row[1] == "BLOB" || *row[1] == "bytea"});
  return out;
}

// Reads `connection` as one snapshot until destroyed, while other sessions keep writing: a deferred
// transaction in SQLite's WAL mode, a repeatable-read one in PostgreSQL.
class Snapshot {
 public:
  explicit Snapshot(Connection& connection) : connection_(connection) {
    if (connection.dialect() == Dialect::kSqlite) {
      connection.execute("BEGIN");
    } else {
      connection.begin();
      connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }
  }
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  ~Snapshot() {
    try {
      if (connection_.dialect() == Dialect::kSqlite)
        connection_.execute("COMMIT");
      else
        connection_.rollback();  // it wrote nothing
    } catch (...) {              // NOLINT(bugprone-empty-catch): a read's end has nothing to lose
    }
  }

 private:
  Connection& connection_;
};

SqlParam copyValue(const std::optional<std::string>& value, bool blob, Dialect from, Dialect to) {
  if (!value) return {};
  if (!blob || from == to) return *value;
  return to == Dialect::kPostgres ? toHex(*value) : fromHex(*value);
}

std::int64_t copyTable(Connection& from, Connection& to, const std::string& table) {
  const auto source = columns(from, table);
  std::set<std::string> sourceNames, targetNames;
  for (const auto& c : source) sourceNames.insert(c.name);
  for (const auto& c : columns(to, table)) targetNames.insert(c.name);
  if (sourceNames != targetNames) throw StoreError(fmt::format("the two stores' tables '{}' differ", table));

  std::vector<std::string> names;
  std::size_t idColumn = source.size();
  for (const auto& c : source) {
    if (c.name == "id") idColumn = names.size();
    names.push_back(c.name);
  }
  const auto list = fmt::format("{}", fmt::join(names, ", "));
  std::string marks = "?";
  for (std::size_t i = 1; i < names.size(); ++i) marks += ", ?";
  const auto insert = fmt::format("INSERT INTO {} ({}) VALUES ({})", table, list, marks);
  // Tables with an id are read by it (each batch an index lookup); the one without, by position.
  const bool keyed = idColumn < names.size();
  const auto select = keyed
                          ? fmt::format("SELECT {} FROM {} WHERE id > ? ORDER BY id LIMIT ?", list, table)
                          : fmt::format("SELECT {} FROM {} ORDER BY {} LIMIT ? OFFSET ?", list, table, list);
  std::int64_t copied = 0;
  std::int64_t lastId = 0;
  for (;;) {
    const auto rows = keyed ? from.query(select, {lastId, kBatch}) : from.query(select, {kBatch, copied});
    for (const auto& row : rows) {
      SqlParams params;
      for (std::size_t c = 0; c < row.size(); ++c)
        params.push_back(copyValue(row[c], source[c].blob, from.dialect(), to.dialect()));
      to.execute(insert, params);
    }
    copied += static_cast<std::int64_t>(rows.size());
    if (rows.size() < static_cast<std::size_t>(kBatch)) break;
    if (keyed) lastId = toInt(rows.back()[idColumn]);
  }
  // PostgreSQL's sequences do not see explicit ids (SQLite's AUTOINCREMENT does): new rows continue after
  // the copied ones.
  if (keyed && to.dialect() == Dialect::kPostgres) {
    to.query(
        fmt::format("SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {}",
                    table),
        {table});
  }
  return copied;
}

void removeSqliteFiles(const std::filesystem::path& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ignored;
    std::filesystem::remove(path.string() + suffix, ignored);
  }
}

}  // namespace

CopySummary copyStore(Connection& from, Connection& to) {
  const int version = schemaVersion(from);
  if (version != schemaVersion(to))
    throw StoreError(fmt::format("the stores have schema versions {} and {}", version, schemaVersion(to)));
  Snapshot snapshot(from);
  for (const auto& table : tables(from)) {
    if (!kOwnRows.contains(table) && std::find(kTables.begin(), kTables.end(), table) == kTables.end())
      throw StoreError(fmt::format("the store has a table this shopdesk does not know: '{}'", table));
  }
  Transaction transaction(to);
  for (const auto& table : kTables) {
    const auto rows = toInt(to.query(fmt::format("SELECT COUNT(*) FROM {}", table)).at(0).at(0));
    if (rows > 0) {
      throw StoreError(fmt::format(
          "the target store holds data already ({} rows in {}): import into a new, empty database", rows,
          table));
    }
  }
  CopySummary summary;
  for (const auto& table : kTables) summary.emplace_back(table, copyTable(from, to, table));
  const auto revision = from.query("SELECT revision FROM catalog_revision WHERE id = 1").at(0).at(0);
  to.execute("UPDATE catalog_revision SET revision = ? WHERE id = 1", {toInt(revision)});
  transaction.commit();
  return summary;
}

CopySummary exportStore(const std::string& url, const std::filesystem::path& file) {
  if (std::filesystem::exists(file))
    throw StoreError(fmt::format("{} exists already: name a new file", file));
  auto partial = file;
  partial += ".partial";
  removeSqliteFiles(partial);
  CopySummary summary;
  try {
    auto from = openConnection(url);
    auto to = openConnection("sqlite:" + partial.string());
    summary = copyStore(*from, *to);
    // A file to hand on is one file: without WAL, opening it read-only leaves no -wal and -shm beside it.
    to->query("PRAGMA journal_mode = DELETE");
  } catch (const StoreError& e) {
    removeSqliteFiles(partial);
    throw StoreError(fmt::format("cannot export the store into {}: {}; nothing was written", file, e.what()));
  }
  std::filesystem::rename(partial, file);
  return summary;
}

CopySummary importStore(const std::filesystem::path& file, const std::string& url) {
  // restoreSqlite checks the file (a shopdesk store, not from a newer shopdesk) and copies it, so an older
  // schema is migrated on the copy.
  const auto copy = std::filesystem::temp_directory_path() /
                    fmt::format("shopdesk-import-{}-{}.db", ::getpid(), file.filename().string());
  removeSqliteFiles(copy);
  try {
    restoreSqlite(file, copy);
    auto from = openConnection("sqlite:" + copy.string());
    auto to = openConnection(url);
    auto summary = copyStore(*from, *to);
    from.reset();
    removeSqliteFiles(copy);
    return summary;
  } catch (...) {
    removeSqliteFiles(copy);
    throw;
  }
}

}  // namespace shopdesk::store
