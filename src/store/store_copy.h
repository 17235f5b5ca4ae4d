#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "store/connection.h"

namespace shopdesk::store {

//! How many rows of each table a copy moved, in the order they were copied.
using CopySummary = std::vector<std::pair<std::string, std::int64_t>>;

//! Copies every row of every shopdesk table, ids included, from `from` into `to`: both at this shopdesk's
//! schema version, `to` without data. `from` is read in one snapshot (servers may keep writing to it) and
//! `to` is written in one transaction, so it ends with all of it or none. Throws StoreError when `to` holds
//! data or `from` has a table this shopdesk does not know (a newer schema's).
CopySummary copyStore(Connection& from, Connection& to);

//! Writes the store at `url` (SQLite or PostgreSQL) into `file`, a new SQLite database: the format that moves
//! a store between databases. `file` is whole or absent; throws StoreError when it exists.
CopySummary exportStore(const std::string& url, const std::filesystem::path& file);

//! Copies `file`, written by exportStore() (or `shopdesk backup`), into the empty store at `url`. Refuses a
//! file that is no shopdesk store or has a newer schema, naming it; an older one is migrated on a copy, never
//! in place.
CopySummary importStore(const std::filesystem::path& file, const std::string& url);

}  // namespace shopdesk::store
