#pragma once

// A test executable whose servers serve rather than learn starts them on a small demo folder: every category,
// 80 training examples each (SHOPDESK_DEMO_DIR, read by --bootstrap and `shopdesk demo`). A first model then
// trains in under a second instead of four, and it still answers the everyday questions these tests ask. The
// full demo data is what readme_test and the browser test start on, as a newcomer does. Including this header
// is what sets it up: the environment is registered once per executable.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "../unit/demo_files.h"

namespace shopdesk::testing {

class SmallDemo : public ::testing::Environment {
 public:
  void SetUp() override {
    writeDemoDir(dir_, 80);
    ::setenv("SHOPDESK_DEMO_DIR", dir_.c_str(), 1);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

 private:
  std::filesystem::path dir_ =
      std::filesystem::temp_directory_path() / ("shopdesk-small-demo-" + std::to_string(::getpid()));
};

[[maybe_unused]] inline const auto* const kSmallDemo = ::testing::AddGlobalTestEnvironment(new SmallDemo);

}  // namespace shopdesk::testing
