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

TEST_F(MigrationsTest, ModelArtifactsMoveToTheirOwnTableWithEveryByte) {
  SqliteConnection connection(path_.string(), false);
  ASSERT_EQ(migrate(connection, 8), 8);
  // Bytes as a packed model folder has them: NULs and every other value.
  std::string artifact;
  for (int i = 0; i < 3 * 4096; ++i) artifact.push_back(static_cast<char>(i % 256));
  connection.execute(
      "INSERT INTO model_versions (version, kind, artifact, metrics, is_active, created_at) "
      "VALUES (?, ?, ?, ?, 1, ?)",
      {std::string("linear-1"), std::string("linear"), artifact, std::string("{}"), std::int64_t{1}});
  EXPECT_GE(migrate(connection), 9);
  const auto rows =
      connection.query("SELECT artifact FROM model_artifacts WHERE version = ?", {std::string("linear-1")});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.at(0).at(0), artifact);
  // What every server reads twice a second no longer holds (or lies behind) the artifact.
  EXPECT_EQ(
      connection.query("SELECT COUNT(*) FROM pragma_table_info('model_versions') WHERE name = 'artifact'", {})
          .at(0)
          .at(0),
      "0");
  EXPECT_EQ(connection.query("SELECT version FROM model_versions WHERE is_active = 1", {}).at(0).at(0),
            "linear-1");
}

TEST(PostgresSql, NumbersPlaceholdersOutsideLiterals) {
  EXPECT_EQ(numberPlaceholders("SELECT ? , '?', ?"), "SELECT $1 , '?', $2");
  EXPECT_EQ(numberPlaceholders("VALUES (?, ?), (?, ?)"), "VALUES ($1, $2), ($3, $4)");
}

TEST(PostgresSql, RedactsPasswords) {
  EXPECT_EQ(redactUrl("postgresql://shop:s3cret@db:5432/shop"), "postgresql://shop:***@db:5432/shop");
  EXPECT_EQ(redactUrl("postgresql://shop@db/shop"), "postgresql://shop@db/shop");
}
