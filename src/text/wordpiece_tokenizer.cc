#include "text/wordpiece_tokenizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <limits>

#include "text/utf8.h"

namespace shopdesk::text {

namespace {

// What BERT's _clean_text and _tokenize_chinese_chars do with a code point.
enum class CharClass : std::uint8_t { kKeep, kDrop, kSpace, kIdeograph };

// Python's str.lower() maps every code point by itself except U+0130, whose full lower case is two code
// points.
constexpr char32_t kCapitalIWithDot = 0x130;
constexpr char32_t kCombiningDotAbove = 0x307;

constexpr std::array<CharClass, 128> asciiClasses() {
  std::array<CharClass, 128> classes{};
  for (int c = 0; c < 128; ++c) classes[c] = c < 0x20 || c == 0x7F ? CharClass::kDrop : CharClass::kKeep;
  for (int c : {' ', '\t', '\n', '\r'}) classes[c] = CharClass::kSpace;
  classes[0] = CharClass::kDrop;
  return classes;
}
constexpr std::array<CharClass, 128> kAsciiClasses = asciiClasses();

// BERT's _is_chinese_char: the CJK Unified Ideographs blocks only, so kana and hangul stay inside words.
bool isIdeograph(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
         (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

CharClass classify(char32_t cp, bool splitIdeographs) {
  if (cp < 0x80) return kAsciiClasses[cp];
  if (cp == 0xFFFD) return CharClass::kDrop;
  const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  switch (category) {
    // Hugging Face's _is_control is any category starting with C (Google's BERT only had Cc and Cf), so
    // zero-width, private-use and unassigned code points vanish and the words around them join.
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
      return CharClass::kDrop;
    case UTF8PROC_CATEGORY_ZS:
    // _is_whitespace says no to U+2028 and U+2029, but whitespace_tokenize's str.split() cuts there anyway.
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return CharClass::kSpace;
    default:
      return splitIdeographs && isIdeograph(cp) ? CharClass::kIdeograph : CharClass::kKeep;
  }
}

// BERT's _is_punctuation: all non-alphanumeric printable ASCII (even $ ^ ` which are symbols) and category
// P*.
bool isPunctuation(char32_t cp) {
  if (cp < 0x80)
    return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) ||
           (cp >= 123 && cp <= 126);
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
      return true;
    default:
      return false;
  }
}

void appendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
    return;
  }
  utf8proc_uint8_t buffer[4];
  const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buffer);
  out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
}

int combiningClass(char32_t cp) {
  return utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->combining_class;
}

}  // namespace

struct WordPieceTokenizer::Scratch {
  std::vector<char32_t> word;  // one white-space separated word, cleaned
  std::vector<char32_t> norm;  // the same lower-cased and without accents
  std::vector<char32_t> decomposed;
  std::string piece;  // one punctuation-separated piece as UTF-8
  std::vector<std::uint32_t> offsets;
  std::vector<std::string>* words = nullptr;  // set: collect BasicTokenizer's words instead of word pieces
};

WordPieceTokenizer::WordPieceTokenizer(TokenIds vocab, Options options)
    : options_(std::move(options)), stripAccents_(options_.stripAccents.value_or(options_.lowerCase)) {
  idToToken_ = invertVocab(vocab);
  ids_ = SpecialIds::resolve(vocab, options_.specials);
  const std::string& prefix = options_.continuingPrefix;
  for (const auto& [token, id] : vocab) {
    maxInitialBytes_ = std::max(maxInitialBytes_, token.size());
    if (!prefix.empty() && token.starts_with(prefix)) {
      continuation_.emplace(token.substr(prefix.size()), id);
      maxContinuationBytes_ = std::max(maxContinuationBytes_, token.size() - prefix.size());
    }
  }
  initial_ = std::move(vocab);  // a word may start with any token, even one beginning with "##"
}

std::unique_ptr<WordPieceTokenizer> WordPieceTokenizer::fromVocabTxt(const std::filesystem::path& file,
                                                                     Options options) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw TokenizerError(file.string() + ": cannot be read");
  TokenIds vocab;
  std::string line;
  std::int64_t id = 0;
  for (; std::getline(in, line); ++id) {
    // Hugging Face strips only "\n"; a stray "\r" from a Windows editor is dropped too rather than kept.
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (findInvalidUtf8(line))
      throw TokenizerError(file.string() + ": line " + std::to_string(id + 1) + " is not valid UTF-8");
    vocab[line] = id;  // a repeated token keeps its last line, as in Hugging Face's load_vocab
  }
  if (id == 0) throw TokenizerError(file.string() + ": the vocabulary is empty");
  try {
    return std::make_unique<WordPieceTokenizer>(std::move(vocab), std::move(options));
  } catch (const TokenizerError& e) {
    throw TokenizerError(file.string() + ": " + e.what());
  }
}

Encoding WordPieceTokenizer::encode(std::string_view text, std::size_t maxLength) const {
  checkEncodeArguments(text, maxLength);
  Encoding out;
  out.ids.reserve(std::min<std::size_t>(maxLength, text.size() + 2));
  out.tokens.reserve(out.ids.capacity());
  push(ids_.cls, out);
  Scratch scratch;
  const std::size_t limit = maxLength - 1;  // ids before [SEP]
  encodeText(text, limit, out, scratch);
  out.ids.resize(std::min(out.ids.size(), limit));
  out.tokens.resize(out.ids.size());
  push(ids_.sep, out);
  return out;
}

std::vector<std::string> WordPieceTokenizer::tokenize(std::string_view text) const {
  checkEncodeArguments(text, 2);
  Encoding out;
  Scratch scratch;
  encodeText(text, std::numeric_limits<std::size_t>::max(), out, scratch);
  return std::move(out.tokens);
}

std::vector<std::string> WordPieceTokenizer::basicTokenize(std::string_view text) const {
  checkEncodeArguments(text, 2);
  Encoding unused;
  std::vector<std::string> words;
  Scratch scratch;
  scratch.words = &words;
  encodeText(text, std::numeric_limits<std::size_t>::max(), unused, scratch);
  return words;
}

void WordPieceTokenizer::encodeText(std::string_view text, std::size_t limit, Encoding& out,
                                    Scratch& scratch) const {
  for (const TextPiece& piece : splitOnAddedTokens(text, options_.specials.added)) {
    if (out.ids.size() >= limit) return;
    if (piece.added < 0)
      encodePiece(piece.text, limit, out, scratch);
    else if (scratch.words != nullptr)
      scratch.words->emplace_back(piece.text);
    else
      push(ids_.added[static_cast<std::size_t>(piece.added)], out);
  }
}

void WordPieceTokenizer::push(std::int64_t id, Encoding& out) const {
  out.ids.push_back(id);
  out.tokens.push_back(idToToken_[static_cast<std::size_t>(id)]);
}

void WordPieceTokenizer::encodePiece(std::string_view text, std::size_t limit, Encoding& out,
                                     Scratch& scratch) const {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  std::size_t pos = 0;
  while (pos < text.size() && out.ids.size() < limit) {
    char32_t cp = bytes[pos];
    std::size_t length = 1;
    if (cp >= 0x80) {  // the text was validated, so this cannot fail
      utf8proc_int32_t decoded = 0;
      length = static_cast<std::size_t>(
          utf8proc_iterate(bytes + pos, static_cast<utf8proc_ssize_t>(text.size() - pos), &decoded));
      cp = static_cast<char32_t>(decoded);
    }
    pos += length;
    switch (classify(cp, options_.splitChineseChars)) {
      case CharClass::kKeep:
        scratch.word.push_back(cp);
        break;
      case CharClass::kDrop:
        break;
      case CharClass::kSpace:
        processWord(scratch, limit, out);
        break;
      case CharClass::kIdeograph:
        processWord(scratch, limit, out);
        scratch.word.push_back(cp);
        processWord(scratch, limit, out);
        break;
    }
  }
  processWord(scratch, limit, out);
}

void WordPieceTokenizer::processWord(Scratch& scratch, std::size_t limit, Encoding& out) const {
  if (scratch.word.empty()) return;
  std::vector<char32_t>& norm = scratch.norm;
  norm.clear();
  bool ascii = true;
  for (char32_t cp : scratch.word) {
    ascii &= cp < 0x80;
    if (!options_.lowerCase) {
      norm.push_back(cp);
    } else if (cp < 0x80) {
      norm.push_back(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp);
    } else if (cp == kCapitalIWithDot) {
      norm.push_back('i');
      norm.push_back(kCombiningDotAbove);
    } else {
      norm.push_back(static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))));
    }
  }
  scratch.word.clear();
  if (stripAccents_ && !ascii) {
    // NFD (decomposition, then canonical ordering of combining marks), then drop the nonspacing marks (Mn).
    std::vector<char32_t>& decomposed = scratch.decomposed;
    decomposed.clear();
    for (char32_t cp : norm) {
      utf8proc_int32_t parts[8];
      int boundary = 0;
      const auto n =
          utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), parts, 8, UTF8PROC_DECOMPOSE, &boundary);
      for (utf8proc_ssize_t i = 0; i < std::min<utf8proc_ssize_t>(n, 8); ++i)
        decomposed.push_back(static_cast<char32_t>(parts[i]));
    }
    for (std::size_t i = 1; i < decomposed.size(); ++i) {  // stable insertion sort inside runs of marks
      for (std::size_t j = i; j > 0; --j) {
        const int right = combiningClass(decomposed[j]);
        const int left = combiningClass(decomposed[j - 1]);
        if (right == 0 || left <= right) break;
        std::swap(decomposed[j], decomposed[j - 1]);
      }
    }
    norm.clear();
    for (char32_t cp : decomposed)
      if (utf8proc_category(static_cast<utf8proc_int32_t>(cp)) != UTF8PROC_CATEGORY_MN) norm.push_back(cp);
  }

  std::string& piece = scratch.piece;
  std::vector<std::uint32_t>& offsets = scratch.offsets;
  const auto flushPiece = [&] {
    if (piece.empty() || out.ids.size() >= limit) return;
    if (scratch.words != nullptr) return scratch.words->push_back(piece);
    offsets.push_back(static_cast<std::uint32_t>(piece.size()));
    wordPieces(piece, offsets, out);
  };
  piece.clear();
  offsets.clear();
  if (!options_.lowerCase && norm.size() <= 16) {
    // BasicTokenizer never splits a word that is a special token, which only shows when a dropped character
    // hid it from the added-token split ("[MA\u200bSK]"); when lower-casing, the word is lower case by now.
    for (char32_t cp : norm) {
      offsets.push_back(static_cast<std::uint32_t>(piece.size()));
      appendUtf8(cp, piece);
    }
    for (const AddedToken& added : options_.specials.added)
      if (piece == added.content) return flushPiece();
    piece.clear();
    offsets.clear();
  }
  for (char32_t cp : norm) {
    if (isPunctuation(cp)) {
      flushPiece();
      piece.clear();
      offsets.assign(1, 0);
      appendUtf8(cp, piece);
      flushPiece();
      piece.clear();
      offsets.clear();
    } else {
      offsets.push_back(static_cast<std::uint32_t>(piece.size()));
      appendUtf8(cp, piece);
    }
  }
  flushPiece();
}

void WordPieceTokenizer::wordPieces(std::string_view word, const std::vector<std::uint32_t>& offsets,
                                    Encoding& out) const {
  const std::size_t chars = offsets.size() - 1;
  if (chars > options_.maxInputCharsPerWord) return push(ids_.unk, out);
  const std::size_t mark = out.ids.size();
  std::size_t start = 0;
  while (start < chars) {
    const TokenIds& tokens = start == 0 ? initial_ : continuation_;
    const std::size_t maxBytes = start == 0 ? maxInitialBytes_ : maxContinuationBytes_;
    std::size_t end = chars;
    while (end > start && offsets[end] - offsets[start] > maxBytes) --end;  // longer than any token
    bool found = false;
    for (; end > start; --end) {
      const auto it = tokens.find(word.substr(offsets[start], offsets[end] - offsets[start]));
      if (it != tokens.end()) {
        push(it->second, out);
        found = true;
        break;
      }
    }
    if (!found) {  // one piece without a match makes the whole word unknown
      out.ids.resize(mark);
      out.tokens.resize(mark);
      return push(ids_.unk, out);
    }
    start = end;
  }
}

}  // namespace shopdesk::text
