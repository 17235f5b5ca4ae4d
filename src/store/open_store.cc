#include <fmt/format.h>

#include "store/migrations.h"
#include "store/postgres_connection.h"
#include "store/sql_store.h"
#include "store/sqlite_connection.h"
#include "store/store.h"

namespace shopdesk::store {

namespace {

struct Opened {
  std::unique_ptr<Connection> connection;
  std::string description;
};

// Connects to `url` and brings its schema up to date (a read-only SQLite file must be up to date already).
Opened connect(const std::string& url) {
  std::unique_ptr<Connection> connection;
  std::string description;
  bool readOnly = false;
  if (url.starts_with("sqlite:")) {
    std::string path = url.substr(7);
    if (path.ends_with("?mode=ro")) {
      path.resize(path.size() - 8);
      readOnly = true;
    }
    if (path.empty()) throw StoreError("database URL 'sqlite:' names no file: use sqlite:PATH");
    connection = std::make_unique<SqliteConnection>(path, readOnly);
    description = "sqlite:" + path + (readOnly ? " (read-only)" : "");
  } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    connection = std::make_unique<PostgresConnection>(url);
    description = redactUrl(url);
  } else {
    throw StoreError(fmt::format(
        "unsupported database URL '{}': use sqlite:PATH or postgresql://HOST:PORT/DB", redactUrl(url)));
  }

  const int newest = migrations().back().version;
  if (readOnly) {
    const int version = schemaVersion(*connection);
    if (version != newest) {
      throw StoreError(
          fmt::format("{} has schema version {}, this shopdesk needs {}: open it writable once to migrate",
                      description, version, newest));
    }
  } else {
    try {
      if (migrate(*connection) > newest) throw StoreError("the database was written by a newer shopdesk");
    } catch (const StoreError& e) {
      throw StoreError(fmt::format("{}: {}", description, e.what()));
    }
  }
  return {std::move(connection), std::move(description)};
}

}  // namespace

std::unique_ptr<Connection> openConnection(const std::string& url) { return connect(url).connection; }

std::unique_ptr<Store> openStore(const std::string& url) {
  auto [connection, description] = connect(url);
  std::unique_ptr<PostgresConnection> listener;
  if (connection->dialect() == Dialect::kPostgres) {
    listener = std::make_unique<PostgresConnection>(url);
    listener->listen("shopdesk_changes");
  }
  return std::make_unique<SqlStore>(std::move(connection), std::move(description), std::move(listener));
}

}  // namespace shopdesk::store
