#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/transformer_classifier.h"
#include "model/transformer_network.h"
#include "text/subword_tokenizer.h"

namespace shopdesk::model {

struct TransformerClassifier::State {
  TransformerNetwork network{nullptr};
  std::unique_ptr<text::SubwordTokenizer> tokenizer;
  std::vector<std::pair<std::string, std::string>> tokenizerFiles;  //!< name and bytes, copied on save
  std::vector<std::string> labels;
  Options options;

  //! Reads the checkpoint's config and tokenizer and builds an untrained network with `labelCount` outputs.
  static std::shared_ptr<State> open(const std::filesystem::path& dir, std::int64_t labelCount);
  //! Token ids of every text, truncated to the options' max length.
  std::vector<std::vector<std::int64_t>> tokenize(const std::vector<std::string>& texts) const;
  //! Ids and attention mask [batch, longest] for the texts at `indices`, padded with the tokenizer's pad id.
  std::pair<torch::Tensor, torch::Tensor> pad(const std::vector<std::vector<std::int64_t>>& ids,
                                              const std::vector<std::size_t>& indices) const;
  //! Logits of the texts at `sorted` (ordered by length) into their rows of `out`, in passes that pad as
  //! little as they can. `alone`: every pass on the calling thread only, as when other threads run theirs.
  void run(const std::vector<std::vector<std::int64_t>>& ids, const std::vector<std::size_t>& sorted,
           std::vector<std::vector<float>>& out, bool alone);
};

//! Sets libtorch's thread count once per process (0 = one per core).
void configureTorchThreads(int threads);
//! The thread count configureTorchThreads chose (libtorch's own before it is called).
int torchThreads();

}  // namespace shopdesk::model
