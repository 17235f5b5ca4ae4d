#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "store/connection.h"

namespace shopdesk::store {

//! A libpqxx session to a PostgreSQL server. A session the server dropped (restart, outage) is given up on
//! the spot, so the statement in flight fails with StoreError, and opened again by the next statement.
class PostgresConnection final : public Connection {
 public:
  //! Connects to `url` (libpq URI or key=value string); throws StoreError naming host and port on failure.
  explicit PostgresConnection(const std::string& url);
  ~PostgresConnection() override;

  Dialect dialect() const override { return Dialect::kPostgres; }
  std::vector<SqlRow> query(std::string_view sql, const SqlParams& params) override;
  std::int64_t execute(std::string_view sql, const SqlParams& params) override;
  void begin() override;
  void commit() override;
  void rollback() override;

  //! Subscribes this session to `channel` (PostgreSQL LISTEN).
  void listen(const std::string& channel);
  //! Waits up to `timeout` for a notification on a listened channel; true when one arrived.
  bool waitForNotification(std::chrono::milliseconds timeout);

 private:
  template <typename Fn>
  auto run(std::string_view sql, const SqlParams& params, Fn&& onResult);

  struct Session;  // libpqxx's types stay out of this header
  Session& session();
  [[noreturn]] void fail(const std::exception& e);

  std::string url_;
  std::vector<std::string> channels_;
  std::unique_ptr<Session> session_;
};

//! `url` with any password replaced by `***`, safe to print.
std::string redactUrl(const std::string& url);

//! `sql` with `?` placeholders numbered `$1, $2, …` as PostgreSQL expects (quoted literals left alone).
std::string numberPlaceholders(std::string_view sql);

}  // namespace shopdesk::store
