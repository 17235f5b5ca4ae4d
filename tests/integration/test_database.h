#pragma once

// A fresh, empty database for one test: a SQLite file in a temporary folder, or a new database on the
// PostgreSQL server that the `postgres` CTest fixture started (its URL is in the file
// $SHOPDESK_TEST_POSTGRES_URL_FILE).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "store/postgres_connection.h"

namespace shopdesk::testing {

enum class Backend { kSqlite, kPostgres };

inline std::string backendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

//! URL of the fixture's server database; fails the test when the fixture did not run.
inline std::string postgresServerUrl() {
  const char* file = std::getenv("SHOPDESK_TEST_POSTGRES_URL_FILE");
  if (!file)
    throw std::runtime_error("SHOPDESK_TEST_POSTGRES_URL_FILE is not set: run the tests through ctest");
  std::ifstream in(file);
  std::string url;
  if (!std::getline(in, url) || url.empty()) {
    throw std::runtime_error(std::string("no PostgreSQL URL in ") + file +
                             ": did the postgres fixture start?");
  }
  return url;
}

class TestDatabase {
 public:
  explicit TestDatabase(Backend backend) : backend_(backend) {
    const std::string suffix = std::to_string(::getpid()) + "_" + std::to_string(std::random_device{}());
    if (backend == Backend::kSqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("shopdesk-test-" + suffix);
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "shopdesk.db").string();
    } else {
      server_ = postgresServerUrl();
      name_ = "shopdesk_t_" + suffix;
      store::PostgresConnection(server_).execute("CREATE DATABASE " + name_, {});
      url_ = server_.substr(0, server_.rfind('/') + 1) + name_;
    }
  }
  ~TestDatabase() {
    if (backend_ == Backend::kSqlite) {
      std::filesystem::remove_all(dir_);
    } else {
      try {
        store::PostgresConnection(server_).execute("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)", {});
      } catch (...) {  // a leftover database on a throw-away server is harmless
      }
    }
  }
  const std::string& url() const { return url_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  Backend backend_;
  std::filesystem::path dir_;
  std::string server_;
  std::string name_;
  std::string url_;
};

}  // namespace shopdesk::testing
