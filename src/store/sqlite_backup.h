#pragma once

#include <filesystem>

namespace shopdesk::store {

//! Copies the SQLite database at `from` (its model artifacts included: they are rows too) into the new file
//! `to` with SQLite's online backup API, in one step: one consistent snapshot, taken while servers keep
//! answering (in WAL mode a reader blocks no writer). The copy is written beside `to` and renamed, so `to` is
//! whole or absent. Throws StoreError naming the file on any failure (no database at `from`, `to` exists,
//! a full disk).
void backupSqlite(const std::filesystem::path& from, const std::filesystem::path& to);

//! Restores the backup `from` as the new database file `to`: refused, with nothing written, unless `from` is
//! a shopdesk database whose schema this shopdesk reads and `to` does not exist yet. An older schema is
//! migrated the first time the store opens. Throws StoreError naming the file.
void restoreSqlite(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace shopdesk::store
