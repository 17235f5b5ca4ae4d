#include "store/sqlite_connection.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <cstring>
#include <thread>

namespace shopdesk::store {

namespace {

// Resets the statement on every exit path so the cached statement can be reused and holds no read lock.
struct StatementReset {
  sqlite3_stmt* statement;
  ~StatementReset() {
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
  }
};

}  // namespace

SqliteConnection::SqliteConnection(const std::string& path, bool readOnly) : path_(path) {
  const int flags =
      (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(fmt::format("cannot open SQLite database '{}': {}", path, message));
  }
  sqlite3_extended_result_codes(db_, 1);
  try {
    execute("PRAGMA busy_timeout = 5000", {});
    execute("PRAGMA foreign_keys = ON", {});
    // SQLite's default page cache (2 MB) holds too little of the interaction indexes once a store has served
    // a few hundred thousand answers: the category index takes rows all over, and each commit read 2-3 pages
    // back from the OS (pread) on the one thread that commits everyone's answers. 16 MB keeps them.
    execute("PRAGMA cache_size = -16384", {});
    if (!readOnly) {
      // Switching a new file to WAL needs it to itself, and SQLite answers "database is locked" at once,
      // without the busy timeout, while another connection is using it (several servers or threads opening a
      // new store together: store_test saw it about once in 300).
      for (int attempt = 0;; ++attempt) {
        try {
          query("PRAGMA journal_mode = WAL", {});
          break;
        } catch (const StoreError&) {
          if ((sqlite3_errcode(db_) & 0xFF) != SQLITE_BUSY || attempt == 500) throw;
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
      }
      execute("PRAGMA synchronous = FULL", {});
    }
  } catch (...) {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
    throw;
  }
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_close(db_);
}

void SqliteConnection::fail(std::string_view what) const {
  // "disk I/O error" alone does not say that the disk may be full; the system's error does, when SQLite still
  // has it (a rollback after the failed write may have replaced it).
  std::string reason;
  if ((sqlite3_errcode(db_) & 0xFF) == SQLITE_IOERR) {
    const int system = sqlite3_system_errno(db_);
    reason = system ? fmt::format(" ({})", std::strerror(system)) : " (is the disk full?)";
  }
  throw StoreError(fmt::format("SQLite '{}': {}: {}{}", path_, what, sqlite3_errmsg(db_), reason));
}

sqlite3_stmt* SqliteConnection::prepare(std::string_view sql, const SqlParams& params) {
  auto it = statements_.find(std::string(sql));
  if (it == statements_.end()) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &statement, nullptr) != SQLITE_OK) {
      fail("cannot prepare statement");
    }
    it = statements_.emplace(std::string(sql), statement).first;
  }
  sqlite3_stmt* statement = it->second;
  if (sqlite3_bind_parameter_count(statement) != static_cast<int>(params.size())) {
    throw StoreError(fmt::format("statement expects {} parameters, got {}",
                                 sqlite3_bind_parameter_count(statement), params.size()));
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    int rc = SQLITE_OK;
    if (const auto* text = std::get_if<std::string>(&params[i])) {
      rc = sqlite3_bind_text64(statement, index, text->data(), text->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else if (const auto* integer = std::get_if<std::int64_t>(&params[i])) {
      rc = sqlite3_bind_int64(statement, index, *integer);
    } else if (const auto* real = std::get_if<double>(&params[i])) {
      rc = sqlite3_bind_double(statement, index, *real);
    } else {
      rc = sqlite3_bind_null(statement, index);
    }
    if (rc != SQLITE_OK) {
      sqlite3_clear_bindings(statement);
      fail("cannot bind parameter");
    }
  }
  return statement;
}

std::vector<SqlRow> SqliteConnection::query(std::string_view sql, const SqlParams& params) {
  sqlite3_stmt* statement = prepare(sql, params);
  StatementReset reset{statement};
  std::vector<SqlRow> rows;
  const int columns = sqlite3_column_count(statement);
  for (;;) {
    const int rc = sqlite3_step(statement);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) fail("query failed");
    SqlRow row(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (sqlite3_column_type(statement, c) == SQLITE_NULL) continue;
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
      row[static_cast<std::size_t>(c)] =
          std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, c)));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::int64_t SqliteConnection::execute(std::string_view sql, const SqlParams& params) {
  sqlite3_stmt* statement = prepare(sql, params);
  StatementReset reset{statement};
  int rc = SQLITE_ROW;
  while (rc == SQLITE_ROW) rc = sqlite3_step(statement);
  if (rc != SQLITE_DONE) fail("statement failed");
  return sqlite3_changes64(db_);
}

void SqliteConnection::begin() { execute("BEGIN IMMEDIATE", {}); }
void SqliteConnection::commit() { execute("COMMIT", {}); }
void SqliteConnection::rollback() {
  if (!sqlite3_get_autocommit(db_)) execute("ROLLBACK", {});
}

}  // namespace shopdesk::store
