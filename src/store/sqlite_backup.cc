#include "store/sqlite_backup.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <sqlite3.h>

#include <cstring>
#include <memory>

#include "store/connection.h"
#include "store/migrations.h"
#include "store/sqlite_connection.h"

namespace shopdesk::store {

namespace {

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;

Database open(const std::filesystem::path& path, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Database out(db);
  if (rc != SQLITE_OK)
    throw StoreError(fmt::format("cannot open {}: {}", path, db ? sqlite3_errmsg(db) : "out of memory"));
  sqlite3_busy_timeout(db, 5000);
  return out;
}

}  // namespace

void backupSqlite(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (!std::filesystem::is_regular_file(from))
    throw StoreError(fmt::format("no SQLite database at {}", from));
  if (std::filesystem::exists(to)) throw StoreError(fmt::format("{} exists already: name a new file", to));
  auto partial = to;
  partial += ".partial";
  std::filesystem::remove(partial);
  {
    const auto source = open(from, SQLITE_OPEN_READONLY);
    const auto target = open(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3_backup* backup = sqlite3_backup_init(target.get(), "main", source.get(), "main");
    if (!backup) {
      const std::string message = sqlite3_errmsg(target.get());
      std::filesystem::remove(partial);
      throw StoreError(fmt::format("cannot back up {} into {}: {}", from, to, message));
    }
    // Every page in one step: a step-by-step copy starts over whenever a server commits in between.
    const int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
      const int system = (rc & 0xFF) == SQLITE_IOERR ? sqlite3_system_errno(target.get()) : 0;
      std::filesystem::remove(partial);
      throw StoreError(fmt::format("cannot back up {} into {}: {}{}; nothing was written", from, to,
                                   sqlite3_errstr(rc),
                                   system ? fmt::format(" ({})", std::strerror(system)) : ""));
    }
  }
  std::filesystem::rename(partial, to);
}

void restoreSqlite(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (!std::filesystem::is_regular_file(from)) throw StoreError(fmt::format("no backup file at {}", from));
  if (std::filesystem::exists(to)) {
    throw StoreError(fmt::format(
        "{} exists already: restore into a new data directory, or stop its server and move it away first",
        to));
  }
  int version = 0;
  try {
    SqliteConnection backup(from.string(), true);
    const auto tables = backup.query(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", {});
    if (tables.at(0).at(0) != "1") throw StoreError("it has no shopdesk schema");
    version = schemaVersion(backup);
  } catch (const StoreError& e) {
    throw StoreError(fmt::format("{} is not a shopdesk backup: {}", from, e.what()));
  }
  const int newest = migrations().back().version;
  if (version > newest) {
    throw StoreError(
        fmt::format("{} has schema version {}, written by a newer shopdesk (this one reads up to {})", from,
                    version, newest));
  }
  if (to.has_parent_path()) std::filesystem::create_directories(to.parent_path());
  backupSqlite(from, to);
}

}  // namespace shopdesk::store
