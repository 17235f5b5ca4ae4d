// The byte-level BPE tokenizer on any bytes: invalid UTF-8 is refused with std::invalid_argument, and every
// valid text encodes to <s> … </s> within the length limit; with no truncation the tokens spell the text
// back.

#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "fuzz_support.h"
#include "text/bpe_tokenizer.h"
#include "text/vocab_builder.h"

using namespace shopdesk;

namespace {

std::unique_ptr<text::BpeTokenizer> makeTokenizer() {
  char dir[] = "/tmp/shopdesk-bpe-fuzz-XXXXXX";
  fuzz::require(::mkdtemp(dir) != nullptr, "a temporary folder for the vocabulary");
  text::writeBpeFiles(dir, fuzz::demoTexts(), 400);
  auto tokenizer = text::BpeTokenizer::fromFiles(std::filesystem::path(dir) / "vocab.json",
                                                 std::filesystem::path(dir) / "merges.txt", {});
  std::filesystem::remove_all(dir);
  return tokenizer;
}

// Byte symbol (UTF-8) → the byte it stands for.
std::unordered_map<std::string, char> symbolBytes() {
  std::unordered_map<std::string, char> bytes;
  const auto& symbols = text::BpeTokenizer::byteSymbols();
  for (int b = 0; b < 256; ++b) bytes.emplace(symbols[b], static_cast<char>(b));
  return bytes;
}

// The text a token list stands for, or nothing when a special token took part of it (<mask> swallows the
// space before it) or a token is not made of byte symbols.
std::optional<std::string> spell(const std::vector<std::string>& tokens,
                                 const std::unordered_map<std::string, char>& bytes) {
  static const std::set<std::string> specials = {"<s>", "</s>", "<pad>", "<unk>", "<mask>"};
  std::string text;
  for (const auto& token : tokens) {
    if (specials.contains(token)) return std::nullopt;
    for (std::size_t i = 0; i < token.size();) {
      bool found = false;
      for (std::size_t length = 1; length <= 2 && i + length <= token.size(); ++length) {
        const auto it = bytes.find(token.substr(i, length));
        if (it != bytes.end()) {
          text.push_back(it->second);
          i += length;
          found = true;
          break;
        }
      }
      if (!found) return std::nullopt;
    }
  }
  return text;
}

std::unique_ptr<text::BpeTokenizer> tokenizer;
std::unordered_map<std::string, char> bytes;

}  // namespace

// Learning the merges takes seconds under the sanitizers: done once, outside the per-input timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tokenizer = makeTokenizer();
  bytes = symbolBytes();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t maxLength = 2 + data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  text::Encoding encoding;
  try {
    encoding = tokenizer->encode(text, maxLength);
  } catch (const std::invalid_argument&) {
    return 0;  // not UTF-8
  }
  const auto tokens = tokenizer->tokenize(text);
  fuzz::requireWellFormed(encoding, maxLength, tokenizer->vocabSize(), "<s>", "</s>", tokens);
  // Byte-level BPE loses nothing: the tokens spell the text back.
  if (const auto spelled = spell(tokens, bytes))
    fuzz::require(*spelled == text, "the tokens spell the text back");
  return 0;
}
