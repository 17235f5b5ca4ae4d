#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

// The checkpoint tools behind `shopdesk checkpoint inspect` and `init`. Built into libshopdesk_torch: code
// outside it reaches them through torchModule() (model/torch_module.h).
namespace shopdesk::model {

//! Architecture, sizes, tokenizer and every tensor's name, dtype and shape, for `shopdesk checkpoint
//! inspect`.
nlohmann::json inspectCheckpoint(const std::filesystem::path& dir);

//! What `shopdesk checkpoint init` writes: a tiny random checkpoint in Hugging Face's layout, for tests and
//! trying things out without a download.
struct CheckpointSpec {
  std::string architecture = "bert";
  std::int64_t layers = 2;
  std::int64_t hiddenSize = 32;
  std::int64_t heads = 2;
  std::int64_t intermediateSize = 64;
  std::int64_t maxPositions = 128;
  std::size_t vocabSize = 2000;  //!< WordPiece vocabulary size, or BPE merges for RoBERTa
  bool lowerCase = true;
  std::vector<std::string> labels;  //!< empty: a base checkpoint without a classification head
  std::uint64_t seed = 42;
};

//! Writes config.json, model.safetensors and tokenizer files learned from `texts` into `dir`.
void initCheckpoint(const std::filesystem::path& dir, const CheckpointSpec& spec,
                    const std::vector<std::string>& texts);

}  // namespace shopdesk::model
