#pragma once

// The team's shared folder (public data sets, the real bert-base-uncased vocabulary): beside the repository,
// or at /work/shared for a clone made elsewhere (a CI checkout in /tmp). Tests that need it skip, and say so,
// when it is in neither place.
#include <filesystem>

namespace shopdesk::testing {

inline std::filesystem::path sharedFile(const std::filesystem::path& relative) {
  const auto beside = std::filesystem::path(SHOPDESK_SOURCE_DIR).parent_path() / "shared" / relative;
  if (std::filesystem::exists(beside)) return beside;
  return std::filesystem::path("/work/shared") / relative;
}

}  // namespace shopdesk::testing
