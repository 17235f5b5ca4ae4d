#pragma once

#include <filesystem>
#include <string>

namespace shopdesk::service {

//! The files of a model folder as one byte string, so the artifact can live in the database beside its
//! version and a server without the folder can recreate it. Format: "shopdesk-bundle 1\n", then for each file
//! its name length (u32), name, size (u64) and bytes, little-endian.
std::string packFolder(const std::filesystem::path& dir);

//! Recreates the folder `dir` from packFolder's bytes (written beside it, then renamed into place); throws
//! std::runtime_error for a malformed bundle or a file name that would leave the folder.
void unpackFolder(const std::string& bundle, const std::filesystem::path& dir);

}  // namespace shopdesk::service
