#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "store/connection.h"

struct sqlite3;
struct sqlite3_stmt;

namespace shopdesk::store {

//! A SQLite database file in WAL mode with FULL synchronous commits (acknowledged writes survive power loss).
class SqliteConnection final : public Connection {
 public:
  //! Opens (and creates unless `readOnly`) the database at `path`; throws StoreError naming the path.
  SqliteConnection(const std::string& path, bool readOnly);
  ~SqliteConnection() override;

  Dialect dialect() const override { return Dialect::kSqlite; }
  std::vector<SqlRow> query(std::string_view sql, const SqlParams& params) override;
  std::int64_t execute(std::string_view sql, const SqlParams& params) override;
  void begin() override;
  void commit() override;
  void rollback() override;

 private:
  sqlite3_stmt* prepare(std::string_view sql, const SqlParams& params);
  [[noreturn]] void fail(std::string_view what) const;

  std::string path_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace shopdesk::store
