#include "store/postgres_connection.h"

#include <fmt/format.h>

#include <pqxx/pqxx>
#include <regex>

namespace shopdesk::store {

std::string redactUrl(const std::string& url) {
  static const std::regex password(R"(^(\w+://[^:/@]*):[^@]*@)");
  return std::regex_replace(url, password, "$1:***@");
}

std::string numberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  bool inLiteral = false;
  for (char c : sql) {
    if (c == '\'') inLiteral = !inLiteral;
    if (c == '?' && !inLiteral) {
      out += '$';
      out += std::to_string(next++);
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// Counts notifications; libpqxx calls it from await_notification().
class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& connection, const std::string& channel, int& count)
      : pqxx::notification_receiver(connection, channel), count_(count) {}
  void operator()(const std::string&, int) override { ++count_; }

 private:
  int& count_;
};

}  // namespace

struct PostgresConnection::Session {
  explicit Session(const std::string& url) : connection(url) {}
  pqxx::connection connection;
  std::unique_ptr<pqxx::work> transaction;
  int notifications = 0;
  std::vector<std::unique_ptr<Receiver>> receivers;
};

void PostgresConnection::listen(const std::string& channel) {
  session_->receivers.push_back(
      std::make_unique<Receiver>(session_->connection, channel, session_->notifications));
  session_->connection.get_notifs();  // issues the LISTEN now rather than on the first wait
}

bool PostgresConnection::waitForNotification(std::chrono::milliseconds timeout) {
  try {
    const int before = session_->notifications;
    if (session_->connection.get_notifs() == 0) {
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(timeout).count();
      session_->connection.await_notification(us / 1000000, us % 1000000);
    }
    return session_->notifications != before;
  } catch (const pqxx::broken_connection& e) {
    throw StoreError(fmt::format("lost connection to PostgreSQL at {}: {}", redactUrl(url_), e.what()));
  }
}

PostgresConnection::PostgresConnection(const std::string& url) : url_(url) {
  try {
    session_ = std::make_unique<Session>(url);
  } catch (const std::exception& e) {
    throw StoreError(fmt::format("cannot connect to PostgreSQL at {}: {}", redactUrl(url), e.what()));
  }
}

PostgresConnection::~PostgresConnection() = default;

template <typename Fn>
auto PostgresConnection::run(std::string_view sql, const SqlParams& params, Fn&& onResult) {
  // libpq takes every parameter as text (or a null pointer for NULL) and lets the server infer its type.
  std::vector<std::string> storage;
  storage.reserve(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (const auto* text = std::get_if<std::string>(&params[i])) {
      values[i] = text->c_str();
    } else if (const auto* integer = std::get_if<std::int64_t>(&params[i])) {
      values[i] = storage.emplace_back(std::to_string(*integer)).c_str();
    } else if (const auto* real = std::get_if<double>(&params[i])) {
      values[i] = storage.emplace_back(fmt::format("{:.17g}", *real)).c_str();
    }
  }
  const std::string statement = numberPlaceholders(sql);
  try {
    if (session_->transaction)
      return onResult(
          session_->transaction->exec_params(statement, pqxx::prepare::make_dynamic_params(values)));
    pqxx::nontransaction autocommit(session_->connection);
    return onResult(autocommit.exec_params(statement, pqxx::prepare::make_dynamic_params(values)));
  } catch (const pqxx::broken_connection& e) {
    session_->transaction.reset();
    throw StoreError(fmt::format("lost connection to PostgreSQL at {}: {}", redactUrl(url_), e.what()));
  } catch (const pqxx::sql_error& e) {
    throw StoreError(fmt::format("PostgreSQL: {}", e.what()));
  }
}

std::vector<SqlRow> PostgresConnection::query(std::string_view sql, const SqlParams& params) {
  return run(sql, params, [](const pqxx::result& result) {
    std::vector<SqlRow> rows;
    rows.reserve(result.size());
    for (const auto& record : result) {
      SqlRow row(record.size());
      for (std::size_t c = 0; c < record.size(); ++c) {
        if (!record[static_cast<int>(c)].is_null()) row[c] = record[static_cast<int>(c)].c_str();
      }
      rows.push_back(std::move(row));
    }
    return rows;
  });
}

std::int64_t PostgresConnection::execute(std::string_view sql, const SqlParams& params) {
  return run(sql, params,
             [](const pqxx::result& result) { return static_cast<std::int64_t>(result.affected_rows()); });
}

void PostgresConnection::begin() {
  if (session_->transaction) throw StoreError("PostgreSQL: transaction already open");
  try {
    session_->transaction = std::make_unique<pqxx::work>(session_->connection);
  } catch (const pqxx::broken_connection& e) {
    throw StoreError(fmt::format("lost connection to PostgreSQL at {}: {}", redactUrl(url_), e.what()));
  }
}

void PostgresConnection::commit() {
  if (!session_->transaction) throw StoreError("PostgreSQL: commit without a transaction");
  auto transaction = std::move(session_->transaction);
  try {
    transaction->commit();
  } catch (const std::exception& e) {
    throw StoreError(fmt::format("PostgreSQL: commit failed: {}", e.what()));
  }
}

void PostgresConnection::rollback() {
  if (!session_->transaction) return;
  auto transaction = std::move(session_->transaction);
  transaction->abort();
}

}  // namespace shopdesk::store
