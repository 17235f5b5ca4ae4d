#pragma once

#include <filesystem>
#include <optional>

#include "text/subword_tokenizer.h"

namespace shopdesk::text {

//! BERT's tokenizer, equal to Hugging Face's slow BertTokenizer (transformers 4.30): BasicTokenizer (clean
//! text, split CJK ideographs, lower-case and strip accents, split punctuation) then greedy
//! longest-match-first WordPiece with "##" continuations.
class WordPieceTokenizer final : public SubwordTokenizer {
 public:
  struct Options {
    bool lowerCase = true;
    std::optional<bool> stripAccents;  //!< unset: strip exactly when lower-casing, as BERT does
    bool splitChineseChars = true;
    std::size_t maxInputCharsPerWord = 100;
    std::string continuingPrefix = "##";
    SpecialTokens specials = SpecialTokens::bert();
  };

  //! Throws TokenizerError when the vocabulary lacks the unknown, [CLS], [SEP] or padding token.
  WordPieceTokenizer(TokenIds vocab, Options options);

  //! Reads a vocab.txt, one token a line, the id being the line number from 0.
  static std::unique_ptr<WordPieceTokenizer> fromVocabTxt(const std::filesystem::path& file, Options options);

  Encoding encode(std::string_view text, std::size_t maxLength) const override;
  std::int64_t padId() const override { return ids_.pad; }
  std::size_t vocabSize() const override { return idToToken_.size(); }
  std::string kind() const override { return "wordpiece"; }

  //! The tokens of `text` without [CLS] and [SEP], not truncated.
  std::vector<std::string> tokenize(std::string_view text) const;

  //! The words of BERT's BasicTokenizer before WordPiece splits them (special tokens kept whole).
  std::vector<std::string> basicTokenize(std::string_view text) const;

 private:
  struct Scratch;

  void encodeText(std::string_view text, std::size_t limit, Encoding& out, Scratch& scratch) const;
  void encodePiece(std::string_view text, std::size_t limit, Encoding& out, Scratch& scratch) const;
  void processWord(Scratch& scratch, std::size_t limit, Encoding& out) const;
  void wordPieces(std::string_view word, const std::vector<std::uint32_t>& offsets, Encoding& out) const;
  void push(std::int64_t id, Encoding& out) const;

  Options options_;
  bool stripAccents_;
  TokenIds initial_;       // tokens that may start a word
  TokenIds continuation_;  // "##x" tokens, stored as "x"
  std::size_t maxInitialBytes_ = 0;
  std::size_t maxContinuationBytes_ = 0;
  std::vector<std::string> idToToken_;
  SpecialIds ids_;
};

}  // namespace shopdesk::text
