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
  fuzz::requireWellFormed(encoding, maxLength, tokenizer.vocabSize(), "[CLS]", "[SEP]",
                          tokenizer.tokenize(text));
  return 0;
}
