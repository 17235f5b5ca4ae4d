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

// libpq waits for a connection as long as the network lets it; a server that vanished without a reset would
// then hold every request that needs the database. Three seconds, unless the URL says otherwise.
std::string withConnectTimeout(const std::string& url) {
  if (url.find("connect_timeout") != std::string::npos) return url;
  if (url.starts_with("postgres://") || url.starts_with("postgresql://"))
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=3";
  return url + " connect_timeout=3";
}

}  // namespace

struct PostgresConnection::Session {
  // Counts notifications; libpqxx calls it from await_notification().
  class Receiver final : public pqxx::notification_receiver {
   public:
    Receiver(pqxx::connection_base& connection, const std::string& channel, int& count)
        : pqxx::notification_receiver(connection, channel), count_(count) {}
    void operator()(const std::string&, int) override { ++count_; }

   private:
    int& count_;
  };

  explicit Session(const std::string& url) : connection(url) {}
  pqxx::connection connection;
  std::unique_ptr<pqxx::work> transaction;
  int notifications = 0;
  std::vector<std::unique_ptr<Receiver>> receivers;
};

PostgresConnection::PostgresConnection(const std::string& url) : url_(url) { session(); }

PostgresConnection::~PostgresConnection() = default;

PostgresConnection::Session& PostgresConnection::session() {
  if (session_) return *session_;
  try {
    auto fresh = std::make_unique<Session>(withConnectTimeout(url_));
    for (const auto& channel : channels_) {
      fresh->receivers.push_back(
          std::make_unique<Session::Receiver>(fresh->connection, channel, fresh->notifications));
    }
    fresh->connection.get_notifs();  // issues the LISTENs now rather than on the first wait
    session_ = std::move(fresh);
  } catch (const std::exception& e) {
    throw StoreError(fmt::format("cannot connect to PostgreSQL at {}: {}", redactUrl(url_), e.what()));
  }
  return *session_;
}

// Any error on a session the server has closed (broken connection, or "terminating connection due to
// administrator command" as an SQL error) drops it: an open transaction is lost with it either way.
void PostgresConnection::fail(const std::exception& e) {
  const bool lost = dynamic_cast<const pqxx::broken_connection*>(&e) || !session_->connection.is_open();
  if (lost) {
    session_.reset();
    throw StoreError(fmt::format("lost connection to PostgreSQL at {}: {}", redactUrl(url_), e.what()));
  }
  throw StoreError(fmt::format("PostgreSQL: {}", e.what()));
}

void PostgresConnection::listen(const std::string& channel) {
  Session& s = session();
  channels_.push_back(channel);  // a session opened later listens again
  try {
    s.receivers.push_back(std::make_unique<Session::Receiver>(s.connection, channel, s.notifications));
    s.connection.get_notifs();
  } catch (const std::exception& e) {
    fail(e);
  }
}

bool PostgresConnection::waitForNotification(std::chrono::milliseconds timeout) {
  Session& s = session();
  try {
    const int before = s.notifications;
    if (s.connection.get_notifs() == 0) {
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(timeout).count();
      s.connection.await_notification(us / 1000000, us % 1000000);
    }
    return s.notifications != before;
  } catch (const std::exception& e) {
    fail(e);
  }
}

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
  Session& s = session();
  try {
    if (s.transaction)
      return onResult(s.transaction->exec_params(statement, pqxx::prepare::make_dynamic_params(values)));
    pqxx::nontransaction autocommit(s.connection);
    return onResult(autocommit.exec_params(statement, pqxx::prepare::make_dynamic_params(values)));
  } catch (const std::exception& e) {
    fail(e);
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
  Session& s = session();
  if (s.transaction) throw StoreError("PostgreSQL: transaction already open");
  try {
    s.transaction = std::make_unique<pqxx::work>(s.connection);
  } catch (const std::exception& e) {
    fail(e);
  }
}

void PostgresConnection::commit() {
  if (!session_ || !session_->transaction) throw StoreError("PostgreSQL: commit without a transaction");
  auto transaction = std::move(session_->transaction);
  try {
    transaction->commit();
  } catch (const std::exception& e) {
    transaction.reset();
    fail(e);
  }
}

void PostgresConnection::rollback() {
  if (!session_ || !session_->transaction) return;
  auto transaction = std::move(session_->transaction);
  transaction->abort();
}

}  // namespace shopdesk::store
