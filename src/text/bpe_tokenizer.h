#pragma once

#include <array>
#include <filesystem>
#include <utility>

#include "text/subword_tokenizer.h"

namespace shopdesk::text {

//! Byte-level BPE, equal to Hugging Face's slow RobertaTokenizer (and GPT-2's): the GPT-2 pre-tokenizer
//! splits the text into words, each word's UTF-8 bytes become printable symbols ("Ġ" for a space), and merges
//! are applied lowest rank first until none applies.
class BpeTokenizer final : public SubwordTokenizer {
 public:
  struct Options {
    SpecialTokens specials = SpecialTokens::roberta();
    //! Prepend a space to a text that does not start with white space (RoBERTa's add_prefix_space).
    bool addPrefixSpace = false;
  };
  using Merge = std::pair<std::string, std::string>;

  //! `merges` in rank order; a merge listed twice keeps its later rank, as in Hugging Face's slow tokenizer.
  //! Throws TokenizerError when the vocabulary lacks the start, end, padding or unknown token.
  BpeTokenizer(TokenIds vocab, const std::vector<Merge>& merges, Options options);

  //! Reads a vocab.json (token → id) and a merges.txt ("#version" header, then "a b" a line).
  static std::unique_ptr<BpeTokenizer> fromFiles(const std::filesystem::path& vocabJson,
                                                 const std::filesystem::path& mergesTxt, Options options);

  Encoding encode(std::string_view text, std::size_t maxLength) const override;
  std::int64_t padId() const override { return ids_.pad; }
  std::size_t vocabSize() const override { return idToToken_.size(); }
  std::string kind() const override { return "bpe"; }

  //! The tokens of `text` without <s> and </s>, not truncated.
  std::vector<std::string> tokenize(std::string_view text) const;

  //! The words of GPT-2's pre-tokenizer regex
  //! 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+ over valid UTF-8 `text`.
  static std::vector<std::string_view> preTokenize(std::string_view text);

  //! GPT-2's bytes_to_unicode: the printable character (as UTF-8) that stands for each byte.
  static const std::array<std::string, 256>& byteSymbols();

 private:
  void encodeText(std::string_view text, std::size_t limit, Encoding& out) const;
  void encodeWord(std::string_view word, std::vector<std::uint32_t>& symbols, Encoding& out) const;
  void push(std::int64_t id, Encoding& out) const;

  Options options_;
  std::vector<std::string> idToToken_;
  // Symbol i is byte i for i < 256, else the result of a merge.
  std::vector<std::int64_t> symbolIds_;  // vocabulary id of each symbol (the unknown id if absent)
  struct MergeResult {
    std::uint32_t rank;
    std::uint32_t symbol;
  };
  std::unordered_map<std::uint64_t, MergeResult> merges_;  // (left << 32 | right) → rank and merged symbol
  SpecialIds ids_;
};

}  // namespace shopdesk::text
