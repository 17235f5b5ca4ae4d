// SqlStore: named admin tokens and the audit log.
#include <fmt/format.h>

#include "common/clock.h"
#include "store/sql_store.h"
#include "store/sql_util.h"

namespace shopdesk::store {

namespace {

constexpr const char* kTokenColumns = "name, created_by, created_at, revoked_at";

AdminToken readToken(SqlRow& row) {
  AdminToken token;
  token.name = std::move(*row[0]);
  token.createdBy = std::move(*row[1]);
  token.createdAt = toInt(row[2]);
  if (row[3]) token.revokedAt = toInt(row[3]);
  return token;
}

}  // namespace

void SqlStore::addAdminToken(const AdminToken& token, const std::string& tokenHash) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*connection_);
  if (count(connection_->query("SELECT COUNT(*) FROM admin_tokens WHERE name = ? AND revoked_at IS NULL",
                               {token.name}))) {
    throw ConflictError(fmt::format("a token named '{}' exists already: revoke it first", token.name));
  }
  connection_->execute(
      "INSERT INTO admin_tokens (name, token_hash, created_by, created_at) VALUES (?, ?, ?, ?)",
      {token.name, tokenHash, token.createdBy, token.createdAt ? token.createdAt : common::nowMillis()});
  transaction.commit();
}

std::vector<AdminToken> SqlStore::adminTokens() {
  std::lock_guard lock(mutex_);
  std::vector<AdminToken> tokens;
  for (auto& row :
       connection_->query(fmt::format("SELECT {} FROM admin_tokens ORDER BY id DESC", kTokenColumns)))
    tokens.push_back(readToken(row));
  return tokens;
}

std::optional<AdminToken> SqlStore::adminTokenByHash(const std::string& tokenHash) {
  std::lock_guard lock(mutex_);
  auto rows = connection_->query(
      fmt::format("SELECT {} FROM admin_tokens WHERE token_hash = ?", kTokenColumns), {tokenHash});
  if (rows.empty()) return std::nullopt;
  return readToken(rows[0]);
}

void SqlStore::revokeAdminToken(const std::string& name, std::int64_t at) {
  std::lock_guard lock(mutex_);
  if (connection_->execute("UPDATE admin_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                           {at, name}) == 0) {
    throw NotFoundError(fmt::format("no live token is named '{}'", name));
  }
}

void SqlStore::recordAudit(const AuditEntry& entry) {
  std::lock_guard lock(mutex_);
  connection_->execute(
      "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
      {entry.at ? entry.at : common::nowMillis(), entry.actor, entry.action, entry.target, entry.detail});
}

Page<AuditEntry> SqlStore::findAudit(const AuditFilter& filter) {
  std::string where;
  SqlParams params;
  for (const auto& [column, value] :
       {std::pair{"actor", &filter.actor}, std::pair{"action", &filter.action}}) {
    if (!*value) continue;
    where += fmt::format("{} {} = ?", where.empty() ? " WHERE" : " AND", column);
    params.emplace_back(**value);
  }
  std::lock_guard lock(mutex_);
  Page<AuditEntry> page;
  page.total = toInt(connection_->query("SELECT COUNT(*) FROM audit_log" + where, params).at(0).at(0));
  params.emplace_back(filter.limit);
  params.emplace_back(filter.offset);
  for (auto& row : connection_->query("SELECT id, at, actor, action, target, detail FROM audit_log" + where +
                                          " ORDER BY id DESC LIMIT ? OFFSET ?",
                                      params)) {
    page.items.push_back({toInt(row[0]), toInt(row[1]), std::move(*row[2]), std::move(*row[3]),
                          std::move(*row[4]), std::move(*row[5])});
  }
  return page;
}

}  // namespace shopdesk::store
