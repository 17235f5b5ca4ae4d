#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace shopdesk::store {

//! A failure of the database (cannot connect, constraint, I/O); the message never contains parameter values.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Dialect { kSqlite, kPostgres };

using SqlParam = std::variant<std::monostate, std::int64_t, double, std::string>;
using SqlParams = std::vector<SqlParam>;

//! One result row; every value comes back as text (or nullopt for NULL), converted by the caller.
using SqlRow = std::vector<std::optional<std::string>>;

//! One database session. Statements use `?` placeholders whatever the dialect. Not thread-safe.
class Connection {
 public:
  virtual ~Connection() = default;

  virtual Dialect dialect() const = 0;
  //! Runs one statement and returns its rows.
  virtual std::vector<SqlRow> query(std::string_view sql, const SqlParams& params = {}) = 0;
  //! Runs one statement and returns how many rows it changed.
  virtual std::int64_t execute(std::string_view sql, const SqlParams& params = {}) = 0;
  //! Starts a transaction that takes the write lock at once (SQLite: BEGIN IMMEDIATE).
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
};

//! Rolls back on scope exit unless commit() was called, so an exception never leaves half a write behind.
class Transaction {
 public:
  explicit Transaction(Connection& connection) : connection_(connection) { connection_.begin(); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!done_) {
      try {
        connection_.rollback();
      } catch (...) {  // NOLINT(bugprone-empty-catch): the original error is the one to report
      }
    }
  }
  void commit() {
    connection_.commit();
    done_ = true;
  }

 private:
  Connection& connection_;
  bool done_ = false;
};

}  // namespace shopdesk::store
