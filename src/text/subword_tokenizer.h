#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shopdesk::text {

//! What a transformer model is fed for one text.
struct Encoding {
  std::vector<std::int64_t> ids;    //!< model input ids, special tokens included
  std::vector<std::string> tokens;  //!< the same as token strings ([CLS], hello, ##s, Ġworld …)
};

//! A tokenizer file that is missing or malformed; the message names the file and what is wrong.
struct TokenizerError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

//! Text to subword ids exactly as the Hugging Face tokenizer of a checkpoint does it. Thread-safe: encode is
//! const and keeps no mutable state.
class SubwordTokenizer {
 public:
  virtual ~SubwordTokenizer() = default;
  //! One text with the model's special tokens ([CLS] … [SEP] or <s> … </s>), truncated so ids.size() <=
  //! maxLength (maxLength >= 2); throws std::invalid_argument for a smaller maxLength or invalid UTF-8.
  virtual Encoding encode(std::string_view text, std::size_t maxLength) const = 0;
  virtual std::int64_t padId() const = 0;
  //! One more than the largest id, the number of rows the model's embedding needs.
  virtual std::size_t vocabSize() const = 0;
  virtual std::string kind() const = 0;  //!< "wordpiece" or "bpe"
};

//! Loads the tokenizer of a Hugging Face checkpoint folder: tokenizer.json (WordPiece or ByteLevel BPE
//! model), else vocab.json+merges.txt (BPE), else vocab.txt (WordPiece). do_lower_case comes from
//! tokenizer_config.json (WordPiece default true). Throws TokenizerError naming the file and what is wrong.
std::unique_ptr<SubwordTokenizer> loadTokenizer(const std::filesystem::path& checkpointDir);

//! The tokenizer files present in a checkpoint folder, to copy into a model artifact.
std::vector<std::filesystem::path> tokenizerFiles(const std::filesystem::path& checkpointDir);

// ---- Shared by the WordPiece and BPE tokenizers ----

//! A token matched literally in the raw text before any normalization ([MASK], <s>, added tokens), case
//! sensitively, as Hugging Face's added-token splitting does.
struct AddedToken {
  std::string content;
  bool lstrip = false;  //!< swallows the white space on its left (RoBERTa's <mask>)
  bool rstrip = false;  //!< swallows the white space on its right
};

//! The tokens an encoding starts and ends with, pads with and falls back to, plus the literal ones.
struct SpecialTokens {
  std::string cls;
  std::string sep;
  std::string pad;
  std::string unk;
  std::vector<AddedToken> added;

  static SpecialTokens bert();     //!< [CLS] [SEP] [PAD] [UNK], [MASK]
  static SpecialTokens roberta();  //!< <s> </s> <pad> <unk>, <mask> (which swallows the space before it)
};

//! A piece of text between added tokens, or one added token (`added` is its index, else -1).
struct TextPiece {
  std::string_view text;
  int added = -1;
};

//! `text` cut at every literal occurrence of an added token (leftmost, then longest), with the white space
//! the tokens strip removed and empty pieces dropped.
std::vector<TextPiece> splitOnAddedTokens(std::string_view text, const std::vector<AddedToken>& added);

//! String hashing that accepts std::string_view, so lookups of slices of the text allocate nothing.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
using TokenIds = std::unordered_map<std::string, std::int64_t, StringHash, std::equal_to<>>;

//! The ids of a tokenizer's special tokens in its vocabulary.
struct SpecialIds {
  std::int64_t unk = 0;
  std::int64_t cls = 0;  //!< the start of an encoding ([CLS], <s>)
  std::int64_t sep = 0;  //!< its end ([SEP], </s>)
  std::int64_t pad = 0;
  std::vector<std::int64_t> added;  //!< per SpecialTokens::added; one the vocabulary lacks is unknown

  //! Throws TokenizerError when `vocab` lacks the unknown, start, end or padding token.
  static SpecialIds resolve(const TokenIds& vocab, const SpecialTokens& specials);
};

//! Id → token string for a vocabulary whose ids may have gaps (gaps are empty strings).
std::vector<std::string> invertVocab(const TokenIds& vocab);

//! Throws std::invalid_argument unless maxLength >= 2 and `text` is valid UTF-8.
void checkEncodeArguments(std::string_view text, std::size_t maxLength);

//! Python's str.isspace() for one code point (what str.strip() and str.split() remove).
bool isPythonSpace(char32_t cp);

}  // namespace shopdesk::text
