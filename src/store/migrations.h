#pragma once

#include <limits>
#include <string>
#include <vector>

#include "store/connection.h"

namespace shopdesk::store {

//! One step of the schema. Statements are written once for both dialects; `{id}` and `{blob}` expand to each
//! dialect's auto-increment key and byte-string type.
struct Migration {
  int version;
  std::string name;
  std::vector<std::string> statements;
};

//! Every migration, oldest first.
const std::vector<Migration>& migrations();

//! Applies the migrations `connection` has not seen yet, up to version `target`, each in its own
//! transaction; safe when several processes start at once. Returns the schema version afterwards.
int migrate(Connection& connection, int target = std::numeric_limits<int>::max());

//! The highest migration version recorded in the database (0 when none).
int schemaVersion(Connection& connection);

}  // namespace shopdesk::store
