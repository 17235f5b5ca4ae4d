#include "store/migrations.h"

#include <fmt/format.h>

#include <chrono>

#include "common/clock.h"

namespace shopdesk::store {

namespace {

std::string expand(std::string sql, Dialect dialect) {
  const auto replace = [&sql](std::string_view token, std::string_view with) {
    for (auto pos = sql.find(token); pos != std::string::npos; pos = sql.find(token, pos + with.size())) {
      sql.replace(pos, token.size(), with);
    }
  };
  replace("{id}",
          dialect == Dialect::kSqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY");
  replace("{blob}", dialect == Dialect::kSqlite ? "BLOB" : "BYTEA");
  return sql;
}

// Timestamps are Unix milliseconds in BIGINT columns: the same arithmetic (bucketing by day, ranges) works in
// both dialects without date functions that differ.
const std::vector<Migration> kMigrations = {
    {1,
     "core schema",
     {
         R"(CREATE TABLE categories (
              id {id},
              name TEXT NOT NULL UNIQUE,
              description TEXT NOT NULL DEFAULT '',
              response TEXT NOT NULL DEFAULT '',
              created_at BIGINT NOT NULL))",
         R"(CREATE TABLE category_recommendations (
              id {id},
              category_id BIGINT NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
              position INTEGER NOT NULL,
              title TEXT NOT NULL,
              body TEXT NOT NULL,
              action_label TEXT,
              action_url TEXT,
              UNIQUE (category_id, position)))",
         // The original table, extended: where an example came from and a hash that makes re-imports
         // idempotent without indexing texts of any length.
         R"(CREATE TABLE model_training_data (
              id {id},
              query TEXT NOT NULL,
              category TEXT NOT NULL REFERENCES categories(name) ON UPDATE CASCADE,
              query_hash TEXT NOT NULL,
              source TEXT NOT NULL DEFAULT 'import',
              interaction_id BIGINT,
              created_at BIGINT NOT NULL,
              UNIQUE (query_hash, category)))",
         "CREATE INDEX model_training_data_category ON model_training_data (category)",
         R"(CREATE TABLE model_versions (
              id {id},
              version TEXT NOT NULL UNIQUE,
              kind TEXT NOT NULL,
              artifact_path TEXT,
              artifact {blob},
              data_fingerprint TEXT,
              metrics TEXT,
              is_active INTEGER NOT NULL DEFAULT 0,
              created_at BIGINT NOT NULL))",
         // The original table, extended with what an answer was and who may leave feedback on it.
         R"(CREATE TABLE customer_interactions (
              id {id},
              query TEXT NOT NULL,
              feedback TEXT,
              category TEXT,
              confidence DOUBLE PRECISION,
              response TEXT,
              handoff INTEGER NOT NULL DEFAULT 0,
              model_version TEXT,
              session_id TEXT,
              feedback_token_hash TEXT,
              created_at BIGINT NOT NULL))",
         "CREATE INDEX customer_interactions_created ON customer_interactions (created_at)",
         "CREATE INDEX customer_interactions_category ON customer_interactions (category)",
         R"(CREATE TABLE feedback (
              id {id},
              interaction_id BIGINT NOT NULL UNIQUE REFERENCES customer_interactions(id) ON DELETE CASCADE,
              helpful INTEGER,
              corrected_category TEXT,
              comment TEXT,
              created_at BIGINT NOT NULL))",
         R"(CREATE TABLE training_jobs (
              id {id},
              kind TEXT NOT NULL,
              status TEXT NOT NULL,
              params TEXT,
              progress TEXT,
              error TEXT,
              model_version TEXT,
              created_at BIGINT NOT NULL,
              started_at BIGINT,
              finished_at BIGINT))",
     }},
    {2,
     "at most one active model version",
     {
         "CREATE UNIQUE INDEX model_versions_one_active ON model_versions (is_active) WHERE is_active = 1",
     }},
    {3,
     "review queue",
     {
         "ALTER TABLE customer_interactions ADD COLUMN review_status TEXT",
         "ALTER TABLE customer_interactions ADD COLUMN reviewed_category TEXT",
         "ALTER TABLE customer_interactions ADD COLUMN reviewed_at BIGINT",
         "CREATE INDEX customer_interactions_unreviewed ON customer_interactions (id) WHERE review_status IS "
         "NULL",
         "CREATE INDEX training_jobs_status ON training_jobs (status)",
     }},
    {4,
     "small-talk categories",
     {
         "ALTER TABLE categories ADD COLUMN small_talk INTEGER NOT NULL DEFAULT 0",
     }},
    {5,
     "catalog revision",
     {
         // One row, counted up by every write to the categories or their recommendations: a server compares
         // it with the revision it answers from, so an edit made through any server or the CLI reaches them
         // all.
         "CREATE TABLE catalog_revision (id INTEGER PRIMARY KEY, revision BIGINT NOT NULL)",
         "INSERT INTO catalog_revision (id, revision) VALUES (1, 0)",
     }},
    {6,
     "clarifying questions, entities and erasure",
     {
         // The categories an unsure answer offered ("did you mean …?"), one a line; NULL when it did not ask.
         "ALTER TABLE customer_interactions ADD COLUMN clarify_options TEXT",
         // Once clarified_at is set: the category the customer picked, or NULL for "something else".
         "ALTER TABLE customer_interactions ADD COLUMN clarify_choice TEXT",
         "ALTER TABLE customer_interactions ADD COLUMN clarified_at BIGINT",
         // What the customer's question held (order numbers, emails, amounts, dates, sizes): a JSON array,
         // and a row each to find a customer's interactions by (erasure).
         "ALTER TABLE customer_interactions ADD COLUMN entities TEXT",
         R"(CREATE TABLE interaction_entities (
              interaction_id BIGINT NOT NULL REFERENCES customer_interactions(id) ON DELETE CASCADE,
              kind TEXT NOT NULL,
              value TEXT NOT NULL))",
         "CREATE INDEX interaction_entities_value ON interaction_entities (kind, value)",
         "CREATE INDEX interaction_entities_interaction ON interaction_entities (interaction_id)",
         // Set when a customer's data was erased: the text is gone, the counts stay.
         "ALTER TABLE customer_interactions ADD COLUMN erased_at BIGINT",
         // An unsure answer asks only when the session's last one did not.
         "CREATE INDEX customer_interactions_session ON customer_interactions (session_id, id)",
     }},
    {7,
     "named admin tokens and the audit log",
     {
         // One token per agent, kept as its SHA-256 only. A revoked token keeps its row (the audit log names
         // it), and its name may be given to a new token.
         R"(CREATE TABLE admin_tokens (
              id {id},
              name TEXT NOT NULL,
              token_hash TEXT NOT NULL UNIQUE,
              created_by TEXT NOT NULL,
              created_at BIGINT NOT NULL,
              revoked_at BIGINT))",
         "CREATE UNIQUE INDEX admin_tokens_live_name ON admin_tokens (name) WHERE revoked_at IS NULL",
         // Who changed what: the token's name (or "cli"), a dotted action name, what it acted on and a JSON
         // object of what changed. Never a customer's words, so erasure has nothing to do here.
         R"(CREATE TABLE audit_log (
              id {id},
              at BIGINT NOT NULL,
              actor TEXT NOT NULL,
              action TEXT NOT NULL,
              target TEXT NOT NULL DEFAULT '',
              detail TEXT NOT NULL DEFAULT '{}'))",
         "CREATE INDEX audit_log_actor ON audit_log (actor, id)",
         "CREATE INDEX audit_log_action ON audit_log (action, id)",
     }},
    {8,
     "analysis jobs and the reviewed questions' index",
     {
         // Topic reports and model comparisons computed in the background, with their results (JSON text),
         // so that the server an admin polls need not be the one computing. Deleted a day after they end.
         R"(CREATE TABLE analysis_jobs (
              id {id},
              kind TEXT NOT NULL,
              status TEXT NOT NULL,
              params TEXT NOT NULL,
              progress TEXT NOT NULL,
              result TEXT,
              error TEXT,
              created_at BIGINT NOT NULL,
              finished_at BIGINT))",
         "CREATE INDEX analysis_jobs_status ON analysis_jobs (status)",
         // The reviewed questions, whose category is known: a model comparison replays them.
         "CREATE INDEX customer_interactions_reviewed ON customer_interactions (id) WHERE review_status IN "
         "('resolved', 'relabeled')",
     }},
    {9,
     "model artifacts in a table of their own",
     {
         // A model's bytes (440 MB for bert-base) sat in model_versions before its metrics and is_active.
         // SQLite walks a value's overflow pages to reach the columns after it, so each look at the active
         // version (every server, twice a second) read the whole artifact: 80 ms each, and 15% of a core on
         // a server that answered nothing.
         R"(CREATE TABLE model_artifacts (
              version TEXT PRIMARY KEY REFERENCES model_versions(version) ON DELETE CASCADE,
              artifact {blob} NOT NULL))",
         "INSERT INTO model_artifacts (version, artifact) "
         "SELECT version, artifact FROM model_versions WHERE artifact IS NOT NULL",
         "ALTER TABLE model_versions DROP COLUMN artifact",
     }},
};

void lockMigrations(Connection& connection) {
  // Two servers starting together must not both apply a migration: PostgreSQL serializes them with an
  // advisory lock held until the transaction ends; SQLite's BEGIN IMMEDIATE already holds the write lock.
  if (connection.dialect() == Dialect::kPostgres) connection.query("SELECT pg_advisory_xact_lock(7374310)");
}

}  // namespace

const std::vector<Migration>& migrations() { return kMigrations; }

int schemaVersion(Connection& connection) {
  const auto rows = connection.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return std::stoi(rows.at(0).at(0).value_or("0"));
}

int migrate(Connection& connection, int target) {
  // Only a new database gets the table: PostgreSQL checks the right to create in the schema even for
  // CREATE TABLE IF NOT EXISTS, and a server's least-privilege role has none (deploy/postgresql.md).
  const auto exists = connection.query(
      connection.dialect() == Dialect::kPostgres
          ? "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE 1 END"
          : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (exists.at(0).at(0).value_or("0") == "0") {
    Transaction transaction(connection);
    lockMigrations(connection);
    connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at BIGINT NOT NULL)");
    transaction.commit();
  }
  for (const auto& migration : kMigrations) {
    if (migration.version > target) break;
    Transaction transaction(connection);
    lockMigrations(connection);
    if (schemaVersion(connection) >= migration.version) continue;
    for (const auto& statement : migration.statements) {
      try {
        connection.execute(expand(statement, connection.dialect()));
      } catch (const StoreError& e) {
        throw StoreError(
            fmt::format("migration {} ({}) failed: {}", migration.version, migration.name, e.what()));
      }
    }
    connection.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                       {std::int64_t{migration.version}, migration.name, common::nowMillis()});
    transaction.commit();
  }
  return schemaVersion(connection);
}

}  // namespace shopdesk::store
