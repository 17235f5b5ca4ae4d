#include "text/wordpiece_tokenizer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "shared_files.h"
#include "temp_dir.h"
#include "text/vocab_builder.h"

namespace fs = std::filesystem;
using shopdesk::text::buildWordPieceVocab;
using shopdesk::text::Encoding;
using shopdesk::text::loadTokenizer;
using shopdesk::text::SubwordTokenizer;
using shopdesk::text::TokenizerError;
using shopdesk::text::tokenizerFiles;
using shopdesk::text::WordPieceTokenizer;
using Ids = std::vector<std::int64_t>;
using Tokens = std::vector<std::string>;

namespace {

// ids 0–4 are the specials; "é" is written precomposed (U+00E9).
const std::vector<std::string> kVocab = {
    "[PAD]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "[MASK]",
    "hello",
    "world",
    ",",
    "!",
    ".",
    "un",
    "##aff",
    "##able",
    "want",
    "##ed",
    "run",
    "##ning",
    "cafe",
    "caf\xC3\xA9",
    "\xE4\xB8\xAD",
    "\xE5\x9B\xBD",
    "\xE3\x81\x93\xE3\x82\x93\xE3\x81\xAB\xE3\x81\xA1\xE3\x81\xAF",  // こんにちは as one word
    "Hello",
    "a",
    "##a",
    "[",
    "]",
    "mask"};

// Each test's own folder.
class TempDir : public shopdesk::testing::TempDir {
 public:
  TempDir() : shopdesk::testing::TempDir("shopdesk_wordpiece") {}
};

std::string lines(const std::vector<std::string>& tokens) {
  std::string text;
  for (const std::string& token : tokens) text += token + "\n";
  return text;
}

std::unique_ptr<SubwordTokenizer> handMade(const TempDir& dir, bool lowerCase) {
  dir.write("vocab.txt", lines(kVocab));
  dir.write("tokenizer_config.json",
            lowerCase ? R"({"do_lower_case": true})" : R"({"do_lower_case": false})");
  return loadTokenizer(dir.path());
}

Ids ids(const SubwordTokenizer& tokenizer, std::string_view text, std::size_t maxLength = 512) {
  return tokenizer.encode(text, maxLength).ids;
}

Tokens tokens(const SubwordTokenizer& tokenizer, std::string_view text, std::size_t maxLength = 512) {
  return tokenizer.encode(text, maxLength).tokens;
}

}  // namespace

TEST(WordPieceTokenizer, SplitsPunctuationAndWordPieces) {
  const TempDir dir;
  const auto tokenizer = handMade(dir, true);
  EXPECT_EQ(tokenizer->kind(), "wordpiece");
  EXPECT_EQ(tokenizer->vocabSize(), kVocab.size());
  EXPECT_EQ(tokenizer->padId(), 0);
  EXPECT_EQ(ids(*tokenizer, "Hello, world!"), (Ids{2, 5, 7, 6, 8, 3}));
  EXPECT_EQ(tokens(*tokenizer, "unaffable"), (Tokens{"[CLS]", "un", "##aff", "##able", "[SEP]"}));
  EXPECT_EQ(tokens(*tokenizer, "wanted running."),
            (Tokens{"[CLS]", "want", "##ed", "run", "##ning", ".", "[SEP]"}));
  // Punctuation splits inside a word too, and each mark is its own token.
  EXPECT_EQ(tokens(*tokenizer, "hello,,world"), (Tokens{"[CLS]", "hello", ",", ",", "world", "[SEP]"}));
}

TEST(WordPieceTokenizer, UnknownPieceMakesTheWholeWordUnknown) {
  const TempDir dir;
  const auto tokenizer = handMade(dir, true);
  // "un ##aff ##able" match, then "z" has no "##z": the whole word is one [UNK], not three pieces and [UNK].
  EXPECT_EQ(tokens(*tokenizer, "hello unaffablez world"),
            (Tokens{"[CLS]", "hello", "[UNK]", "world", "[SEP]"}));
  EXPECT_EQ(ids(*tokenizer, "xyz"), (Ids{2, 1, 3}));
}

TEST(WordPieceTokenizer, WordsOverAHundredCharactersAreUnknown) {
  const TempDir dir;
  const auto tokenizer = handMade(dir, true);
  const Encoding hundred = tokenizer->encode(std::string(100, 'a'), 512);
  ASSERT_EQ(hundred.tokens.size(), 102u);  // "a" then 99 "##a"
  EXPECT_EQ(hundred.tokens[1], "a");
  EXPECT_EQ(hundred.tokens[100], "##a");
  EXPECT_EQ(tokens(*tokenizer, std::string(101, 'a')), (Tokens{"[CLS]", "[UNK]", "[SEP]"}));
  // The limit counts code points, not bytes: "a" and 99 two-byte "á" (199 bytes) strip to 100 "a".
  std::string accented = "a";
  for (int i = 0; i < 99; ++i) accented += "\xC3\xA1";
  EXPECT_EQ(tokenizer->encode(accented, 512).ids.size(), 102u);
}

TEST(WordPieceTokenizer, StripsAccentsOnlyWhenLowerCasing) {
  const TempDir lowerDir;
  const auto lower = handMade(lowerDir, true);
  EXPECT_EQ(tokens(*lower, "CAF\xC3\x89"), (Tokens{"[CLS]", "cafe", "[SEP]"}));   // CAFÉ
  EXPECT_EQ(tokens(*lower, "cafe\xCC\x81"), (Tokens{"[CLS]", "cafe", "[SEP]"}));  // e + combining acute

  const TempDir casedDir;
  const auto cased = handMade(casedDir, false);
  EXPECT_EQ(tokens(*cased, "caf\xC3\xA9"), (Tokens{"[CLS]", "caf\xC3\xA9", "[SEP]"}));
  EXPECT_EQ(tokens(*cased, "Hello hello"), (Tokens{"[CLS]", "Hello", "hello", "[SEP]"}));
  EXPECT_EQ(tokens(*cased, "HELLO"), (Tokens{"[CLS]", "[UNK]", "[SEP]"}));

  // strip_accents set explicitly strips without lower-casing.
  casedDir.write("tokenizer_config.json", R"({"do_lower_case": false, "strip_accents": true})");
  EXPECT_EQ(tokens(*loadTokenizer(casedDir.path()), "caf\xC3\xA9 Hello"),
            (Tokens{"[CLS]", "cafe", "Hello", "[SEP]"}));
}

TEST(WordPieceTokenizer, SplitsIdeographsButNotKana) {
  const TempDir dir;
  const auto tokenizer = handMade(dir, true);
  // 中国こんにちは: each CJK ideograph is a word of its own; the hiragana stay one word.
  EXPECT_EQ(
      ids(*tokenizer, "\xE4\xB8\xAD\xE5\x9B\xBD\xE3\x81\x93\xE3\x82\x93\xE3\x81\xAB\xE3\x81\xA1\xE3\x81\xAF"),
      (Ids{2, 19, 20, 21, 3}));
  EXPECT_EQ(tokens(*tokenizer, "hello\xE4\xB8\xADworld"),
            (Tokens{"[CLS]", "hello", "\xE4\xB8\xAD", "world", "[SEP]"}));
}

TEST(WordPieceTokenizer, RemovesControlAndZeroWidthCharacters) {
  const TempDir dir;
  const auto tokenizer = handMade(dir, true);
  // U+200B (Cf), U+0001 (Cc), U+0000 and U+FFFD vanish, so the words around them join.
  EXPECT_EQ(tokens(*tokenizer, "hel\xE2\x80\x8Blo wor\x01ld"), (Tokens{"[CLS]", "hello", "world", "[SEP]"}));
  EXPECT_EQ(tokens(*tokenizer, std::string_view("he\0llo \xEF\xBF\xBDworld", 15)),
            (Tokens{"[CLS]", "hello", "world", "[SEP]"}));
  // Tab, new line and carriage return separate words; so do no-break and ideographic spaces (Zs).
  EXPECT_EQ(tokens(*tokenizer, "hello\tworld\r\nhello\xC2\xA0world\xE3\x80\x80!"),
            (Tokens{"[CLS]", "hello", "world", "hello", "world", "!", "[SEP]"}));
}

TEST(WordPieceTokenizer, KeepsLiteralSpecialTokens) {
  const TempDir lowerDir;
  const auto lower = handMade(lowerDir, true);
  EXPECT_EQ(ids(*lower, "hello [MASK] world"), (Ids{2, 5, 4, 6, 3}));
  EXPECT_EQ(ids(*lower, "hello[MASK]world"), (Ids{2, 5, 4, 6, 3}));
  // Matching is case-sensitive: "[mask]" is ordinary text.
  EXPECT_EQ(tokens(*lower, "[mask]"), (Tokens{"[CLS]", "[", "mask", "]", "[SEP]"}));
  EXPECT_EQ(tokens(*lower, "[CLS][SEP]"), (Tokens{"[CLS]", "[CLS]", "[SEP]", "[SEP]"}));

  // Without lower-casing, a word that is a special token once a zero-width space is gone is not split
  // either (BasicTokenizer's never_split); when lower-casing it was lower-cased before that check.
  const TempDir casedDir;
  const auto cased = handMade(casedDir, false);
  EXPECT_EQ(tokens(*cased, "[MA\xE2\x80\x8BSK]"), (Tokens{"[CLS]", "[MASK]", "[SEP]"}));
  EXPECT_EQ(tokens(*lower, "[MA\xE2\x80\x8BSK]"), (Tokens{"[CLS]", "[", "mask", "]", "[SEP]"}));
}

TEST(WordPieceTokenizer, TruncatesBetweenClsAndSep) {
  const TempDir dir;
  const auto tokenizer = handMade(dir, true);
  const Encoding four = tokenizer->encode("hello world hello world hello", 4);
  EXPECT_EQ(four.ids, (Ids{2, 5, 6, 3}));
  EXPECT_EQ(four.tokens, (Tokens{"[CLS]", "hello", "world", "[SEP]"}));
  EXPECT_EQ(tokens(*tokenizer, "unaffable", 4), (Tokens{"[CLS]", "un", "##aff", "[SEP]"}));
  EXPECT_EQ(ids(*tokenizer, "hello world", 2), (Ids{2, 3}));
  EXPECT_EQ(ids(*tokenizer, "hello [MASK]", 3), (Ids{2, 5, 3}));
  EXPECT_EQ(ids(*tokenizer, "hello", 3), (Ids{2, 5, 3}));
}

TEST(WordPieceTokenizer, EmptyTextAndInvalidArguments) {
  const TempDir dir;
  const auto tokenizer = handMade(dir, true);
  EXPECT_EQ(tokens(*tokenizer, ""), (Tokens{"[CLS]", "[SEP]"}));
  EXPECT_EQ(ids(*tokenizer, " \t\n\xE2\x80\x8B "), (Ids{2, 3}));
  EXPECT_THROW(tokenizer->encode("hello", 1), std::invalid_argument);
  EXPECT_THROW(tokenizer->encode("hello", 0), std::invalid_argument);
  EXPECT_THROW(tokenizer->encode("bad \xFF byte", 16), std::invalid_argument);
  EXPECT_THROW(tokenizer->encode("\xED\xA0\x80", 16), std::invalid_argument);  // an encoded surrogate
}

TEST(WordPieceTokenizer, RejectsVocabulariesWithoutSpecialTokens) {
  const TempDir dir;
  dir.write("vocab.txt", "hello\nworld\n");
  try {
    loadTokenizer(dir.path());
    FAIL() << "a vocab.txt without [UNK] was accepted";
  } catch (const TokenizerError& e) {
    EXPECT_NE(std::string(e.what()).find("vocab.txt"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[UNK]"), std::string::npos) << e.what();
  }
  dir.write("vocab.txt", lines(kVocab));
  dir.write("tokenizer_config.json", "{\"do_lower_case\": ");
  EXPECT_THROW(loadTokenizer(dir.path()), TokenizerError);
}

TEST(WordPieceTokenizer, TokenizerJsonEqualsVocabTxt) {
  const TempDir dir;
  nlohmann::json vocab = nlohmann::json::object();
  for (std::size_t i = 0; i < kVocab.size(); ++i) vocab[kVocab[i]] = i;
  nlohmann::json json = {
      {"added_tokens", nlohmann::json::array()},
      {"normalizer", {{"type", "BertNormalizer"}, {"lowercase", false}, {"strip_accents", nullptr}}},
      {"model",
       {{"type", "WordPiece"},
        {"unk_token", "[UNK]"},
        {"continuing_subword_prefix", "##"},
        {"vocab", vocab}}}};
  for (const char* special : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"})
    json["added_tokens"].push_back({{"id", vocab[special]}, {"content", special}, {"special", true}});
  dir.write("tokenizer.json", json.dump());
  const auto fromJson = loadTokenizer(dir.path());
  EXPECT_EQ(fromJson->kind(), "wordpiece");
  const TempDir casedDir;
  const auto fromTxt = handMade(casedDir, false);
  for (const char* text : {"Hello, world!", "unaffable [MASK]", "caf\xC3\xA9 HELLO", "hello\xE4\xB8\xAD"})
    EXPECT_EQ(ids(*fromJson, text), ids(*fromTxt, text)) << text;
  EXPECT_EQ(tokens(*fromJson, "Hello hello"), (Tokens{"[CLS]", "Hello", "hello", "[SEP]"}));
}

TEST(WordPieceTokenizer, BuiltVocabularyCoversItsTexts) {
  const std::vector<std::string> texts = {"Where is my parcel?", "where is my refund", "My parcel is late!"};
  const auto vocab = buildWordPieceVocab(texts, 46, true);
  ASSERT_EQ(vocab.size(), 46u);
  EXPECT_EQ((std::vector<std::string>(vocab.begin(), vocab.begin() + 5)),
            (std::vector<std::string>{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}));
  // 17 letters and "!" "?" (in byte order), their ## forms (43 lines so far), then the most frequent words:
  // "is" and "my" (3 times), then of "parcel" and "where" (twice) the alphabetically first.
  EXPECT_EQ(vocab[5], "!");
  EXPECT_EQ(vocab[6], "?");
  EXPECT_EQ(vocab[24], "##!");
  EXPECT_EQ((std::vector<std::string>(vocab.begin() + 43, vocab.end())),
            (std::vector<std::string>{"is", "my", "parcel"}));
  EXPECT_EQ(buildWordPieceVocab(texts, 46, true), vocab);  // deterministic

  const TempDir dir;
  dir.write("vocab.txt", lines(vocab));
  const auto tokenizer = loadTokenizer(dir.path());
  for (const std::string& text : texts)
    for (const std::string& token : tokens(*tokenizer, text)) EXPECT_NE(token, "[UNK]") << text;
  EXPECT_EQ(tokens(*tokenizer, "Where is my parcel?"),
            (Tokens{"[CLS]", "w", "##h", "##e", "##r", "##e", "is", "my", "parcel", "?", "[SEP]"}));
  const auto cased = buildWordPieceVocab(texts, 100, false);
  EXPECT_NE(std::find(cased.begin(), cased.end(), "Where"), cased.end());
  EXPECT_NE(std::find(cased.begin(), cased.end(), "W"), cased.end());
}

// ---- The real bert-base-uncased vocabulary ----

namespace {

fs::path bertVocab() { return shopdesk::testing::sharedFile("vocab/bert-base-uncased/vocab.txt"); }

}  // namespace

TEST(WordPieceTokenizer, BertBaseUncasedIds) {
  const fs::path vocab = bertVocab();
  if (!fs::exists(vocab)) GTEST_SKIP() << "the bert-base-uncased vocabulary is absent (" << vocab << ")";
  const TempDir dir;
  fs::copy_file(vocab, dir.path() / "vocab.txt");
  const auto tokenizer = loadTokenizer(dir.path());  // no tokenizer_config.json: lower-cases by default
  EXPECT_EQ(tokenizer->vocabSize(), 30522u);
  EXPECT_EQ(tokenizer->padId(), 0);
  EXPECT_EQ(ids(*tokenizer, ""), (Ids{101, 102}));
  EXPECT_EQ(ids(*tokenizer, "[UNK] [MASK] [PAD]"), (Ids{101, 100, 103, 0, 102}));
  EXPECT_EQ(ids(*tokenizer, "Hello, world!"), (Ids{101, 7592, 1010, 2088, 999, 102}));
  EXPECT_EQ(ids(*tokenizer, "hello."), (Ids{101, 7592, 1012, 102}));
  // Read off vocab.txt (id = line - 1): "una" 14478, "##ffa" 20962, "##ble" 3469, and neither "unaf",
  // "unaff" nor "##ffab" exist, so the greedy longest match is una ##ffa ##ble (not the docs' un ##aff
  // ##able, which were for another vocabulary).
  EXPECT_EQ(tokens(*tokenizer, "unaffable"), (Tokens{"[CLS]", "una", "##ffa", "##ble", "[SEP]"}));
  EXPECT_EQ(ids(*tokenizer, "unaffable"), (Ids{101, 14477, 20961, 3468, 102}));
  // "token" 19205, "##ization" 3990 and no "tokenization" or "tokenizat".
  EXPECT_EQ(ids(*tokenizer, "Tokenization"), (Ids{101, 19204, 3989, 102}));
  EXPECT_EQ(ids(*tokenizer, "H\xC3\xA9llo"), (Ids{101, 7592, 102}));  // Héllo
  // "İ" lower-cases to "i" + U+0307 as Python does, and the combining dot is then stripped.
  EXPECT_EQ(ids(*tokenizer, "\xC4\xB0stanbul"), ids(*tokenizer, "istanbul"));
  EXPECT_EQ(tokenizerFiles(dir.path()), std::vector<fs::path>{dir.path() / "vocab.txt"});
}
