#pragma once

// Shared by the libFuzzer targets: the demo data's texts (what the tokenizers' vocabularies are built from,
// so the fuzzed tokenizers look like the tiny checkpoints the tests make) and a check that ends the run
// loudly.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "service/example_file.h"

namespace shopdesk::fuzz {

//! The texts of data/train.csv.
inline std::vector<std::string> demoTexts() {
  const std::string path = std::string(SHOPDESK_SOURCE_DIR) + "/data/train.csv";
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  std::vector<std::string> texts;
  for (auto& example : service::parseCsvExamples(content.str(), path, {})) texts.push_back(example.text);
  if (texts.empty()) {
    std::fprintf(stderr, "fuzz: no demo texts in %s\n", path.c_str());
    std::abort();
  }
  return texts;
}

//! A broken invariant is a finding like a crash: libFuzzer saves the input that caused it.
inline void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

}  // namespace shopdesk::fuzz
