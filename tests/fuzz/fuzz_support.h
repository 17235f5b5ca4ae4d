#pragma once

// Shared by the libFuzzer targets: the demo data's texts (what the tokenizers' vocabularies are built from,
// so the fuzzed tokenizers look like the tiny checkpoints the tests make) and a check that ends the run
// loudly.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "service/example_file.h"
#include "text/subword_tokenizer.h"

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

//! What every tokenizer's encoding must be: `first` … `last` within [2, maxLength] ids, one token per id, ids
//! inside the vocabulary, and the untruncated `tokens` of the text kept as a prefix.
inline void requireWellFormed(const text::Encoding& encoding, std::size_t maxLength, std::size_t vocabSize,
                              const std::string& first, const std::string& last,
                              const std::vector<std::string>& tokens) {
  require(encoding.ids.size() >= 2 && encoding.ids.size() <= maxLength, "length within [2, maxLength]");
  require(encoding.ids.size() == encoding.tokens.size(), "one token string per id");
  require(encoding.tokens.front() == first && encoding.tokens.back() == last,
          "starts and ends with the specials");
  for (const auto id : encoding.ids)
    require(id >= 0 && static_cast<std::size_t>(id) < vocabSize, "id inside the vocabulary");
  require(encoding.ids.size() - 2 == std::min(tokens.size(), maxLength - 2), "truncation keeps a prefix");
  for (std::size_t i = 1; i + 1 < encoding.tokens.size(); ++i)
    require(encoding.tokens[i] == tokens[i - 1], "truncation keeps a prefix");
}

}  // namespace shopdesk::fuzz
