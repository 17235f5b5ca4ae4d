// SqlStore: customer interactions, feedback, the review queue and traffic figures.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "store/sql_store.h"
#include "store/sql_util.h"
#include "text/fingerprint.h"

namespace shopdesk::store {

namespace {

constexpr const char* kInteractionColumns =
    "i.id, i.query, i.category, i.confidence, i.response, i.handoff, i.model_version, i.session_id, "
    "i.created_at, "
    "f.helpful, f.corrected_category, f.comment, f.created_at, i.review_status, i.reviewed_category, "
    "i.clarify_options, i.clarify_choice, i.clarified_at, i.entities, i.erased_at";

// Category names hold no white space (service::Catalog), so a line each keeps the options in one column.
std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

std::string entitiesJson(const std::vector<common::Entity>& entities) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : entities) out.push_back({{"kind", e.kind}, {"text", e.text}, {"value", e.value}});
  return out.dump();
}

// Rows written before entities were kept, or by hand, read as none rather than failing the whole list.
std::vector<common::Entity> readEntities(const std::string& text) {
  std::vector<common::Entity> out;
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_array()) return out;
  for (const auto& e : json) {
    if (e.is_object()) out.push_back({e.value("kind", ""), e.value("text", ""), e.value("value", "")});
  }
  return out;
}

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t begin = 0; begin <= text.size();) {
    const auto end = std::min(text.find('\n', begin), text.size());
    if (end > begin) out.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return out;
}

Interaction readInteraction(SqlRow& row) {
  Interaction i;
  i.id = toInt(row[0]);
  i.query = std::move(*row[1]);
  i.category = row[2].value_or("");
  i.confidence = row[3] ? std::stod(*row[3]) : 0.0;
  i.response = row[4].value_or("");
  i.handoff = toInt(row[5]) != 0;
  i.modelVersion = row[6].value_or("");
  i.sessionId = row[7].value_or("");
  i.createdAt = toInt(row[8]);
  if (row[9])
    i.feedback = Feedback{toInt(row[9]) != 0, std::move(row[10]), std::move(row[11]), toInt(row[12])};
  i.review = std::move(row[13]);
  i.reviewedCategory = std::move(row[14]);
  if (row[15]) i.clarifyOptions = splitLines(*row[15]);
  i.clarifyChoice = std::move(row[16]);
  if (row[17]) i.clarifiedAt = toInt(row[17]);
  if (row[18]) i.entities = readEntities(*row[18]);
  if (row[19]) i.erasedAt = toInt(row[19]);
  return i;
}

// Appends the WHERE clause for `filter` to `sql` and its parameters to `params`.
void whereClause(const InteractionFilter& filter, std::string& sql, SqlParams& params) {
  std::vector<std::string> conditions;
  if (filter.category) {
    conditions.push_back("i.category = ?");
    params.emplace_back(*filter.category);
  }
  if (filter.beforeId) {
    conditions.push_back("i.id < ?");
    params.emplace_back(*filter.beforeId);
  }
  if (filter.handoff) {
    conditions.push_back("i.handoff = ?");
    params.emplace_back(std::int64_t{*filter.handoff});
  }
  if (filter.feedback) {
    const auto& f = *filter.feedback;
    if (f == "helpful") conditions.push_back("f.helpful = 1");
    if (f == "unhelpful") conditions.push_back("f.helpful = 0");
    if (f == "corrected") conditions.push_back("f.corrected_category IS NOT NULL");
    if (f == "any") conditions.push_back("f.id IS NOT NULL");
    if (f == "none") conditions.push_back("f.id IS NULL");
  }
  if (filter.from) {
    conditions.push_back("i.created_at >= ?");
    params.emplace_back(*filter.from);
  }
  if (filter.to) {
    conditions.push_back("i.created_at < ?");
    params.emplace_back(*filter.to);
  }
  if (filter.needsReview) {
    conditions.push_back(
        "i.review_status IS NULL AND i.erased_at IS NULL AND (i.handoff = 1 OR i.confidence < ? OR f.helpful "
        "= "
        "0 OR f.corrected_category IS NOT NULL)");
    params.emplace_back(filter.lowConfidence);
  }
  if (filter.labelled) {
    // The ids first, from the reviewed rows' partial index and the feedback table: a busy store's newest
    // traffic holds few labelled rows, and scanning back through it for them took seconds.
    conditions.push_back(
        "i.id IN (SELECT id FROM customer_interactions WHERE review_status IN ('resolved', 'relabeled') "
        "UNION ALL SELECT interaction_id FROM feedback WHERE corrected_category IS NOT NULL OR helpful = 1) "
        "AND i.erased_at IS NULL AND (i.review_status IN ('resolved', 'relabeled') OR f.corrected_category "
        "IS "
        "NOT NULL OR (f.helpful = 1 AND i.handoff = 0))");
  }
  for (std::size_t c = 0; c < conditions.size(); ++c) sql += (c ? " AND " : " WHERE ") + conditions[c];
}

}  // namespace

std::vector<std::int64_t> SqlStore::recordInteractions(std::span<const Interaction> interactions) {
  std::lock_guard lock(mutex_);
  std::vector<std::int64_t> ids;
  ids.reserve(interactions.size());
  Transaction transaction(*connection_);
  const auto params = [](const Interaction& i) -> SqlParams {
    return {i.query,
            i.category,
            i.confidence,
            i.response,
            std::int64_t{i.handoff},
            i.modelVersion,
            i.sessionId.empty() ? SqlParam() : SqlParam(i.sessionId),
            i.feedbackTokenHash,
            i.createdAt,
            i.clarifyOptions.empty() ? SqlParam() : SqlParam(joinLines(i.clarifyOptions)),
            i.entities.empty() ? SqlParam() : SqlParam(entitiesJson(i.entities))};
  };
  constexpr const char* kColumns =
      "query, category, confidence, response, handoff, model_version, session_id, feedback_token_hash, "
      "created_at, clarify_options, entities";
  if (connection_->dialect() == Dialect::kSqlite) {
    // In-process statements are cheap: one prepared insert a row, its id from RETURNING.
    for (const auto& i : interactions) {
      const auto rows = connection_->query(
          fmt::format(
              "INSERT INTO customer_interactions ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
              kColumns),
          params(i));
      ids.push_back(toInt(rows.at(0).at(0)));
      for (const auto& e : i.entities) {
        connection_->execute(
            "INSERT INTO interaction_entities (interaction_id, kind, value) VALUES (?, ?, ?)",
            {ids.back(), e.kind, e.value});
      }
    }
  } else {
    // Over the network every statement is a round trip: take the ids from the sequence first, then insert
    // many rows per statement with their ids given (no database promises the order of ids from a multi-row
    // RETURNING).
    for (auto& row : connection_->query("SELECT nextval(pg_get_serial_sequence('customer_interactions', "
                                        "'id')) FROM generate_series(1, ?)",
                                        {static_cast<std::int64_t>(interactions.size())})) {
      ids.push_back(toInt(row.at(0)));
    }
    constexpr std::size_t kChunk = 200;
    for (std::size_t begin = 0; begin < interactions.size(); begin += kChunk) {
      const std::size_t n = std::min(kChunk, interactions.size() - begin);
      SqlParams all;
      std::string values;
      for (std::size_t k = 0; k < n; ++k) {
        all.emplace_back(ids[begin + k]);
        for (auto& p : params(interactions[begin + k])) all.push_back(std::move(p));
        values += k ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
      }
      connection_->execute(
          fmt::format("INSERT INTO customer_interactions (id, {}) VALUES {}", kColumns, values), all);
      SqlParams entityParams;
      std::string entityValues;
      for (std::size_t k = 0; k < n; ++k) {
        for (const auto& e : interactions[begin + k].entities) {
          entityValues += entityValues.empty() ? "(?, ?, ?)" : ", (?, ?, ?)";
          entityParams.insert(entityParams.end(), {ids[begin + k], e.kind, e.value});
        }
      }
      if (!entityValues.empty()) {
        connection_->execute(
            "INSERT INTO interaction_entities (interaction_id, kind, value) VALUES " + entityValues,
            entityParams);
      }
    }
  }
  transaction.commit();
  return ids;
}

std::optional<Interaction> SqlStore::interaction(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto rows = connection_->query(fmt::format("SELECT {} FROM customer_interactions i LEFT JOIN feedback f ON "
                                             "f.interaction_id = i.id WHERE i.id = ?",
                                             kInteractionColumns),
                                 {id});
  if (rows.empty()) return std::nullopt;
  return readInteraction(rows[0]);
}

Page<Interaction> SqlStore::findInteractions(const InteractionFilter& filter) {
  std::string from = " FROM customer_interactions i LEFT JOIN feedback f ON f.interaction_id = i.id";
  SqlParams params;
  whereClause(filter, from, params);
  std::lock_guard lock(mutex_);
  Page<Interaction> page;
  if (filter.countTotal) page.total = toInt(connection_->query("SELECT COUNT(*)" + from, params).at(0).at(0));
  params.emplace_back(filter.limit);
  params.emplace_back(filter.offset);
  for (auto& row : connection_->query(
           fmt::format("SELECT {}{} ORDER BY i.id DESC LIMIT ? OFFSET ?", kInteractionColumns, from),
           params)) {
    page.items.push_back(readInteraction(row));
  }
  return page;
}

void SqlStore::addFeedback(std::int64_t interactionId, const std::string& tokenHash,
                           const Feedback& feedback) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*connection_);
  const auto rows = connection_->query("SELECT feedback_token_hash FROM customer_interactions WHERE id = ?",
                                       {interactionId});
  if (rows.empty() || rows[0][0].value_or("") != tokenHash) {
    throw NotFoundError(fmt::format("no interaction {} with that feedback token", interactionId));
  }
  if (feedback.correctedCategory &&
      connection_->query("SELECT 1 FROM categories WHERE name = ?", {*feedback.correctedCategory}).empty()) {
    throw NotFoundError(fmt::format("no category '{}'", *feedback.correctedCategory));
  }
  // The UNIQUE interaction_id makes the token single-use even when two requests race.
  const auto inserted = connection_->execute(
      "INSERT INTO feedback (interaction_id, helpful, corrected_category, comment, created_at) VALUES (?, ?, "
      "?, ?, ?) "
      "ON CONFLICT (interaction_id) DO NOTHING",
      {interactionId, std::int64_t{feedback.helpful}, optionalParam(feedback.correctedCategory),
       optionalParam(feedback.comment), feedback.createdAt ? feedback.createdAt : common::nowMillis()});
  if (inserted == 0)
    throw ConflictError(fmt::format("feedback for interaction {} was already given", interactionId));
  // The original table's feedback column keeps a one-word summary.
  connection_->execute("UPDATE customer_interactions SET feedback = ? WHERE id = ?",
                       {std::string(feedback.helpful ? "helpful" : "unhelpful"), interactionId});
  transaction.commit();
}

void SqlStore::recordClarification(std::int64_t interactionId, const std::string& tokenHash,
                                   const std::optional<std::string>& choice, const std::string& response) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*connection_);
  const auto rows = connection_->query(
      "SELECT feedback_token_hash, clarify_options, clarified_at FROM customer_interactions WHERE id = ?",
      {interactionId});
  if (rows.empty() || rows[0][0].value_or("") != tokenHash) {
    throw NotFoundError(fmt::format("no interaction {} with that token", interactionId));
  }
  if (!rows[0][1]) throw ConflictError(fmt::format("interaction {} asked no question", interactionId));
  if (rows[0][2]) throw ConflictError(fmt::format("interaction {} was answered already", interactionId));
  if (choice) {
    const auto options = splitLines(*rows[0][1]);
    if (std::find(options.begin(), options.end(), *choice) == options.end()) {
      throw std::invalid_argument(
          fmt::format("'{}' is not one of the categories interaction {} offered", *choice, interactionId));
    }
  }
  // The condition on clarified_at makes the choice single-use even when two requests race.
  const auto updated = connection_->execute(
      choice
          ? "UPDATE customer_interactions SET clarify_choice = ?, clarified_at = ?, response = ?, category = "
            "?, handoff = 0 WHERE id = ? AND clarified_at IS NULL"
          : "UPDATE customer_interactions SET clarify_choice = ?, clarified_at = ?, response = ?, handoff = "
            "1 WHERE id = ? AND clarified_at IS NULL",
      choice ? SqlParams{*choice, common::nowMillis(), response, *choice, interactionId}
             : SqlParams{SqlParam(), common::nowMillis(), response, interactionId});
  if (updated == 0) throw ConflictError(fmt::format("interaction {} was answered already", interactionId));
  transaction.commit();
}

std::vector<std::int64_t> SqlStore::interactionsWithEntity(const std::string& kind,
                                                           const std::string& value) {
  std::lock_guard lock(mutex_);
  std::vector<std::int64_t> ids;
  for (auto& row :
       connection_->query("SELECT DISTINCT interaction_id FROM interaction_entities WHERE kind = ? AND "
                          "value = ? ORDER BY interaction_id DESC",
                          {kind, value})) {
    ids.push_back(toInt(row[0]));
  }
  return ids;
}

std::int64_t SqlStore::eraseInteractions(std::span<const std::int64_t> ids) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*connection_);
  std::int64_t erased = 0;
  constexpr std::size_t kChunk = 500;
  for (std::size_t begin = 0; begin < ids.size(); begin += kChunk) {
    const auto chunk = ids.subspan(begin, std::min(kChunk, ids.size() - begin));
    std::string list;
    SqlParams params;
    for (const auto id : chunk) {
      list += list.empty() ? "?" : ", ?";
      params.emplace_back(id);
    }
    const auto in = "(" + list + ")";
    connection_->execute("DELETE FROM model_training_data WHERE interaction_id IN " + in, params);
    connection_->execute("DELETE FROM interaction_entities WHERE interaction_id IN " + in, params);
    connection_->execute("UPDATE feedback SET comment = NULL WHERE interaction_id IN " + in, params);
    auto update = params;
    update.insert(update.begin(), SqlParam(common::nowMillis()));
    erased += connection_->execute(
        "UPDATE customer_interactions SET query = '', response = '', session_id = NULL, entities = NULL, "
        "erased_at = ? WHERE erased_at IS NULL AND id IN " +
            in,
        update);
  }
  transaction.commit();
  return erased;
}

bool SqlStore::sessionLastAsked(const std::string& sessionId) {
  std::lock_guard lock(mutex_);
  const auto rows = connection_->query(
      "SELECT CASE WHEN clarify_options IS NULL THEN 0 ELSE 1 END FROM customer_interactions WHERE "
      "session_id = ? ORDER BY id DESC "
      "LIMIT 1",
      {sessionId});
  return !rows.empty() && toInt(rows[0][0]) != 0;
}

void SqlStore::reviewInteraction(std::int64_t id, ReviewAction action,
                                 const std::optional<std::string>& category) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*connection_);
  const auto rows = connection_->query(
      "SELECT query, category, review_status, clarify_choice FROM customer_interactions WHERE id = ?", {id});
  if (rows.empty()) throw NotFoundError(fmt::format("no interaction {}", id));
  if (rows[0][2])
    throw ConflictError(fmt::format("interaction {} was already reviewed ({})", id, *rows[0][2]));
  std::string status = action == ReviewAction::kResolve  ? "resolved"
                       : action == ReviewAction::kIgnore ? "ignored"
                                                         : "relabeled";
  std::optional<std::string> finalCategory = rows[0][1];
  const auto addExample = [&](const std::string& label, const std::string& source) {
    const auto& query = *rows[0][0];
    connection_->execute(
        "INSERT INTO model_training_data (query, category, query_hash, source, interaction_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (query_hash, category) DO NOTHING",
        {query, label, text::fingerprintHex(query), source, id, common::nowMillis()});
  };
  if (action == ReviewAction::kRelabel) {
    if (!category) throw StoreError("a relabel needs a category");
    if (connection_->query("SELECT 1 FROM categories WHERE name = ?", {*category}).empty()) {
      throw NotFoundError(fmt::format("no category '{}'", *category));
    }
    finalCategory = category;
    addExample(*category, "review");
  } else if (action == ReviewAction::kResolve && rows[0][3]) {
    // The agent confirms the category the customer picked: the question becomes an example of it.
    addExample(*rows[0][3], "clarification");
  }
  connection_->execute(
      "UPDATE customer_interactions SET review_status = ?, reviewed_category = ?, reviewed_at = ? WHERE id = "
      "?",
      {status, optionalParam(finalCategory), common::nowMillis(), id});
  transaction.commit();
}

std::int64_t SqlStore::deleteInteractionsBefore(std::int64_t before, std::int64_t limit) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*connection_);
  // Feedback goes with its interaction (ON DELETE CASCADE); examples keep their text, not the link.
  const auto deleted = connection_->execute(
      "DELETE FROM customer_interactions WHERE id IN (SELECT id FROM customer_interactions WHERE created_at "
      "< ? "
      "ORDER BY created_at, id LIMIT ?)",
      {before, limit});
  transaction.commit();
  return deleted;
}

TrafficStats SqlStore::trafficStats(std::int64_t from) {
  std::lock_guard lock(mutex_);
  TrafficStats stats;
  for (auto& row : connection_->query("SELECT created_at / 86400000, category, COUNT(*) FROM "
                                      "customer_interactions WHERE created_at >= ? "
                                      "GROUP BY created_at / 86400000, category ORDER BY 1, 2",
                                      {from})) {
    stats.volume.push_back({toInt(row[0]), row[1].value_or(""), toInt(row[2])});
  }
  auto totals = connection_->query(
      "SELECT COUNT(*), COALESCE(SUM(i.handoff), 0), COUNT(f.id), COALESCE(SUM(f.helpful), 0), "
      "COALESCE(SUM(CASE WHEN i.review_status IN ('resolved', 'relabeled') THEN 1 ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN i.review_status IN ('resolved', 'relabeled') AND i.reviewed_category = "
      "i.category "
      "THEN 1 ELSE 0 END), 0) "
      "FROM customer_interactions i LEFT JOIN feedback f ON f.interaction_id = i.id WHERE i.created_at >= ?",
      {from});
  const auto& t = totals.at(0);
  stats.interactions = toInt(t[0]);
  stats.handoffs = toInt(t[1]);
  stats.withFeedback = toInt(t[2]);
  stats.helpful = toInt(t[3]);
  stats.reviewed = toInt(t[4]);
  stats.reviewedCorrect = toInt(t[5]);
  return stats;
}

}  // namespace shopdesk::store
