// The WordPiece tokenizer on any bytes: invalid UTF-8 is refused with std::invalid_argument, and every valid
// text encodes to [CLS] … [SEP] within the length limit, with ids inside the vocabulary.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "fuzz_support.h"
#include "text/vocab_builder.h"
#include "text/wordpiece_tokenizer.h"

using namespace shopdesk;

namespace {

std::unique_ptr<text::WordPieceTokenizer> makeTokenizer(bool lowerCase) {
  text::TokenIds vocab;
  const auto lines = text::buildWordPieceVocab(fuzz::demoTexts(), 600, lowerCase);
  for (std::size_t i = 0; i < lines.size(); ++i) vocab.emplace(lines[i], static_cast<std::int64_t>(i));
  text::WordPieceTokenizer::Options options;
  options.lowerCase = lowerCase;
  return std::make_unique<text::WordPieceTokenizer>(std::move(vocab), options);
}

std::unique_ptr<text::WordPieceTokenizer> uncased;
std::unique_ptr<text::WordPieceTokenizer> cased;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  uncased = makeTokenizer(true);
  cased = makeTokenizer(false);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // The first byte picks the tokenizer and the length limit, the rest is the text.
  const auto& tokenizer = (data[0] & 1) ? *cased : *uncased;
  const std::size_t maxLength = 2 + (data[0] >> 1);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  text::Encoding encoding;
  try {
    encoding = tokenizer.encode(text, maxLength);
  } catch (const std::invalid_argument&) {
    return 0;  // not UTF-8
  }
  fuzz::require(encoding.ids.size() >= 2 && encoding.ids.size() <= maxLength, "length within [2, maxLength]");
  fuzz::require(encoding.ids.size() == encoding.tokens.size(), "one token string per id");
  fuzz::require(encoding.tokens.front() == "[CLS]" && encoding.tokens.back() == "[SEP]", "[CLS] … [SEP]");
  for (const auto id : encoding.ids)
    fuzz::require(id >= 0 && static_cast<std::size_t>(id) < tokenizer.vocabSize(),
                  "id inside the vocabulary");
  // Untruncated tokens are what a longer limit would keep.
  const auto tokens = tokenizer.tokenize(text);
  fuzz::require(encoding.ids.size() - 2 == std::min(tokens.size(), maxLength - 2),
                "truncation keeps a prefix");
  for (std::size_t i = 1; i + 1 < encoding.tokens.size(); ++i)
    fuzz::require(encoding.tokens[i] == tokens[i - 1], "truncation keeps a prefix");
  return 0;
}
