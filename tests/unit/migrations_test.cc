#include "store/migrations.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/postgres_connection.h"
#include "store/sqlite_connection.h"

using namespace shopdesk::store;

namespace {

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("shopdesk-migrations-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path_);
  }
  void TearDown() override {
    for (const auto* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  std::filesystem::path path_;
};

}  // namespace

TEST_F(MigrationsTest, BringsAnEmptyDatabaseToTheNewestVersionOnce) {
  SqliteConnection connection(path_.string(), false);
  const int newest = migrations().back().version;
  EXPECT_EQ(migrate(connection), newest);
  EXPECT_EQ(migrate(connection), newest);
  EXPECT_EQ(connection.query("SELECT COUNT(*) FROM schema_migrations", {}).at(0).at(0),
            std::to_string(newest));
  for (const auto* table : {"categories", "category_recommendations", "model_training_data", "model_versions",
                            "customer_interactions", "feedback", "training_jobs"}) {
    EXPECT_EQ(connection
                  .query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                         {std::string(table)})
                  .at(0)
                  .at(0),
              "1")
        << table;
  }
}

TEST_F(MigrationsTest, VersionsAscendWithoutGaps) {
  int expected = 1;
  for (const auto& migration : migrations()) EXPECT_EQ(migration.version, expected++);
}

TEST_F(MigrationsTest, TransactionRollsBackWhenNotCommitted) {
  SqliteConnection connection(path_.string(), false);
  migrate(connection);
  try {
    Transaction transaction(connection);
    connection.execute("INSERT INTO categories (name, created_at) VALUES (?, ?)",
                       {std::string("x"), std::int64_t{1}});
    throw std::runtime_error("fail half-way");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(connection.query("SELECT COUNT(*) FROM categories", {}).at(0).at(0), "0");
}

TEST(PostgresSql, NumbersPlaceholdersOutsideLiterals) {
  EXPECT_EQ(numberPlaceholders("SELECT ? , '?', ?"), "SELECT $1 , '?', $2");
  EXPECT_EQ(numberPlaceholders("VALUES (?, ?), (?, ?)"), "VALUES ($1, $2), ($3, $4)");
}

TEST(PostgresSql, RedactsPasswords) {
  EXPECT_EQ(redactUrl("postgresql://shop:s3cret@db:5432/shop"), "postgresql://shop:***@db:5432/shop");
  EXPECT_EQ(redactUrl("postgresql://shop@db/shop"), "postgresql://shop@db/shop");
}
