#include "text/bpe_tokenizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/file.h"
#include "text/utf8.h"

namespace shopdesk::text {

namespace {

enum class PretokenClass : std::uint8_t { kLetter, kNumber, kSpace, kOther };

// \p{L}, \p{N} and \s (the White_Space property) of Python's regex module, by utf8proc category.
PretokenClass classOf(char32_t cp) {
  if (cp < 0x80) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return PretokenClass::kLetter;
    if (cp >= '0' && cp <= '9') return PretokenClass::kNumber;
    if (cp == ' ' || (cp >= '\t' && cp <= '\r')) return PretokenClass::kSpace;
    return PretokenClass::kOther;
  }
  if (cp == 0x85) return PretokenClass::kSpace;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      return PretokenClass::kLetter;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return PretokenClass::kNumber;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return PretokenClass::kSpace;
    default:
      return PretokenClass::kOther;
  }
}

// Calls `emit(word)` for each match of the GPT-2 pattern, in order; the matches cover the whole text.
template <typename Emit>
void forEachWord(std::string_view text, Emit&& emit) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const std::size_t n = text.size();
  // PretokenClass of the code point at `pos` and where the next one starts.
  const auto at = [&](std::size_t pos, std::size_t* next) {
    if (bytes[pos] < 0x80) {
      *next = pos + 1;
      return classOf(bytes[pos]);
    }
    utf8proc_int32_t cp = 0;
    const auto length = utf8proc_iterate(bytes + pos, static_cast<utf8proc_ssize_t>(n - pos), &cp);
    *next = pos + static_cast<std::size_t>(std::max<utf8proc_ssize_t>(length, 1));
    return classOf(static_cast<char32_t>(cp));
  };
  std::size_t pos = 0;
  while (pos < n) {
    const std::size_t start = pos;
    if (text[pos] == '\'') {  // 's|'t|'re|'ve|'m|'ll|'d, case-sensitive
      const std::string_view rest = text.substr(pos + 1);
      std::size_t length = 0;
      if (rest.starts_with("re") || rest.starts_with("ve") || rest.starts_with("ll"))
        length = 3;
      else if (!rest.empty() && (rest[0] == 's' || rest[0] == 't' || rest[0] == 'm' || rest[0] == 'd'))
        length = 2;
      if (length > 0) {
        emit(text.substr(pos, length));
        pos += length;
        continue;
      }
    }
    std::size_t next = 0;
    PretokenClass kind = at(pos, &next);
    if (text[pos] == ' ' && next < n) {  // the optional space of ` ?\p{L}+`, ` ?\p{N}+` and ` ?[^…]+`
      std::size_t afterNext = 0;
      const PretokenClass following = at(next, &afterNext);
      if (following != PretokenClass::kSpace) {
        kind = following;
        next = afterNext;
      }
    }
    if (kind != PretokenClass::kSpace) {
      pos = next;
      while (pos < n && at(pos, &next) == kind) pos = next;
      emit(text.substr(start, pos - start));
      continue;
    }
    // \s+(?!\S) takes a run of white space but its last character when a word follows, which then joins
    // that word (a space) or stands alone through \s+ (any other white space).
    std::size_t lastStart = pos;
    pos = next;
    while (pos < n && at(pos, &next) == PretokenClass::kSpace) {
      lastStart = pos;
      pos = next;
    }
    if (pos < n && lastStart > start) pos = lastStart;
    emit(text.substr(start, pos - start));
  }
}

std::array<std::string, 256> makeByteSymbols() {
  std::array<std::string, 256> symbols;
  char32_t extra = 256;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    const char32_t cp = printable ? static_cast<char32_t>(b) : extra++;
    utf8proc_uint8_t buffer[4];
    const auto length = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buffer);
    symbols[static_cast<std::size_t>(b)].assign(reinterpret_cast<const char*>(buffer),
                                                static_cast<std::size_t>(length));
  }
  return symbols;
}

std::uint64_t pairKey(std::uint32_t left, std::uint32_t right) {
  return static_cast<std::uint64_t>(left) << 32 | right;
}

std::string readFile(const std::filesystem::path& file) {
  try {
    return common::readFile(file);
  } catch (const common::FileError& e) {
    throw TokenizerError(e.what());
  }
}

}  // namespace

const std::array<std::string, 256>& BpeTokenizer::byteSymbols() {
  static const std::array<std::string, 256> symbols = makeByteSymbols();
  return symbols;
}

std::vector<std::string_view> BpeTokenizer::preTokenize(std::string_view text) {
  std::vector<std::string_view> words;
  forEachWord(text, [&](std::string_view word) { words.push_back(word); });
  return words;
}

BpeTokenizer::BpeTokenizer(TokenIds vocab, const std::vector<Merge>& merges, Options options)
    : options_(std::move(options)) {
  idToToken_ = invertVocab(vocab);
  ids_ = SpecialIds::resolve(vocab, options_.specials);
  // Symbols are interned so that a word is a vector of small integers while it is merged.
  std::unordered_map<std::string, std::uint32_t> symbolIndex;
  const auto intern = [&](const std::string& symbol) {
    const auto [it, inserted] = symbolIndex.emplace(symbol, static_cast<std::uint32_t>(symbolIds_.size()));
    if (inserted) {
      const auto found = vocab.find(symbol);
      symbolIds_.push_back(found == vocab.end() ? ids_.unk : found->second);
    }
    return it->second;
  };
  for (const std::string& symbol : byteSymbols()) intern(symbol);
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [left, right] = merges[rank];
    if (left.empty() || right.empty())
      throw TokenizerError("merge " + std::to_string(rank + 1) + " has an empty symbol");
    const std::uint32_t leftSymbol = intern(left);
    const std::uint32_t rightSymbol = intern(right);
    merges_[pairKey(leftSymbol, rightSymbol)] = {static_cast<std::uint32_t>(rank), intern(left + right)};
  }
}

std::unique_ptr<BpeTokenizer> BpeTokenizer::fromFiles(const std::filesystem::path& vocabJson,
                                                      const std::filesystem::path& mergesTxt,
                                                      Options options) {
  TokenIds vocab;
  try {
    const auto json = nlohmann::json::parse(readFile(vocabJson));
    if (!json.is_object()) throw TokenizerError("is not a JSON object of token → id");
    for (const auto& [token, id] : json.items()) {
      if (!id.is_number_integer() || id.get<std::int64_t>() < 0)
        throw TokenizerError("the id of \"" + token + "\" is not a non-negative integer");
      vocab[token] = id.get<std::int64_t>();
    }
  } catch (const nlohmann::json::exception& e) {
    throw TokenizerError(vocabJson.string() + ": " + e.what());
  } catch (const TokenizerError& e) {
    const std::string message = e.what();
    if (message.starts_with(vocabJson.string())) throw;
    throw TokenizerError(vocabJson.string() + ": " + message);
  }

  std::vector<Merge> merges;
  std::istringstream lines(readFile(mergesTxt));
  std::string line;
  for (std::size_t number = 1; std::getline(lines, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // Hugging Face skips the first line unread; only a "#version" header is skipped here.
    if ((number == 1 && line.starts_with("#version")) || line.empty()) continue;
    std::istringstream fields(line);
    Merge merge;
    std::string extra;
    if (!(fields >> merge.first >> merge.second) || (fields >> extra))
      throw TokenizerError(mergesTxt.string() + ": line " + std::to_string(number) +
                           " is not two symbols separated by a space: \"" + line + "\"");
    merges.push_back(std::move(merge));
  }
  try {
    return std::make_unique<BpeTokenizer>(std::move(vocab), merges, std::move(options));
  } catch (const TokenizerError& e) {
    throw TokenizerError(vocabJson.string() + ": " + e.what());
  }
}

Encoding BpeTokenizer::encode(std::string_view text, std::size_t maxLength) const {
  checkEncodeArguments(text, maxLength);
  Encoding out;
  out.ids.reserve(std::min<std::size_t>(maxLength, text.size() + 2));
  out.tokens.reserve(out.ids.capacity());
  push(ids_.cls, out);
  const std::size_t limit = maxLength - 1;  // ids before </s>
  encodeText(text, limit, out);
  out.ids.resize(std::min(out.ids.size(), limit));
  out.tokens.resize(out.ids.size());
  push(ids_.sep, out);
  return out;
}

std::vector<std::string> BpeTokenizer::tokenize(std::string_view text) const {
  checkEncodeArguments(text, 2);
  Encoding out;
  encodeText(text, std::numeric_limits<std::size_t>::max(), out);
  return std::move(out.tokens);
}

void BpeTokenizer::encodeText(std::string_view text, std::size_t limit, Encoding& out) const {
  std::string prefixed;
  utf8proc_int32_t first = 0;
  if (!text.empty())
    utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                     static_cast<utf8proc_ssize_t>(text.size()), &first);
  if (options_.addPrefixSpace && !text.empty() && !isPythonSpace(static_cast<char32_t>(first))) {
    prefixed = " " + std::string(text);
    text = prefixed;
  }
  std::vector<std::uint32_t> symbols;
  for (const TextPiece& piece : splitOnAddedTokens(text, options_.specials.added)) {
    if (out.ids.size() >= limit) return;
    if (piece.added >= 0) {
      push(ids_.added[static_cast<std::size_t>(piece.added)], out);
      continue;
    }
    forEachWord(piece.text, [&](std::string_view word) {
      if (out.ids.size() < limit) encodeWord(word, symbols, out);
    });
  }
}

void BpeTokenizer::encodeWord(std::string_view word, std::vector<std::uint32_t>& symbols,
                              Encoding& out) const {
  symbols.clear();
  for (unsigned char byte : word) symbols.push_back(byte);
  while (symbols.size() > 1) {
    // The lowest-ranked pair present, then every occurrence of it from left to right, as Hugging Face does.
    const MergeResult* best = nullptr;
    std::uint32_t left = 0;
    std::uint32_t right = 0;
    for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
      const auto it = merges_.find(pairKey(symbols[i], symbols[i + 1]));
      if (it != merges_.end() && (best == nullptr || it->second.rank < best->rank)) {
        best = &it->second;
        left = symbols[i];
        right = symbols[i + 1];
      }
    }
    if (best == nullptr) break;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < symbols.size(); ++i) {
      if (i + 1 < symbols.size() && symbols[i] == left && symbols[i + 1] == right) {
        symbols[kept++] = best->symbol;
        ++i;
      } else {
        symbols[kept++] = symbols[i];
      }
    }
    symbols.resize(kept);
  }
  for (std::uint32_t symbol : symbols) push(symbolIds_[symbol], out);
}

void BpeTokenizer::push(std::int64_t id, Encoding& out) const {
  out.ids.push_back(id);
  out.tokens.push_back(idToToken_[static_cast<std::size_t>(id)]);
}

}  // namespace shopdesk::text
