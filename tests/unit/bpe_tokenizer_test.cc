#include "text/bpe_tokenizer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "temp_dir.h"
#include "text/vocab_builder.h"

namespace fs = std::filesystem;
using shopdesk::text::BpeTokenizer;
using shopdesk::text::loadTokenizer;
using shopdesk::text::SubwordTokenizer;
using shopdesk::text::TokenizerError;
using shopdesk::text::tokenizerFiles;
using shopdesk::text::writeBpeFiles;
using Ids = std::vector<std::int64_t>;
using Tokens = std::vector<std::string>;
using Words = std::vector<std::string_view>;

namespace {

// Byte-level symbols: "Ġ" is the space, "Ċ" the new line, "Ã" "©" the two bytes of "é" (C3 A9).
const std::string kSpace = "\xC4\xA0";

// Merges in rank order. "b c" outranks "a b", so "abc" is "a" "bc" although "ab c" would make one token of
// it.
const std::vector<std::string> kMerges = {"\xC4\xA0 w",
                                          "o r",
                                          "\xC4\xA0w or",
                                          "l d",
                                          "\xC4\xA0wor ld",
                                          "h e",
                                          "l l",
                                          "he ll",
                                          "hell o",
                                          "b c",
                                          "a b",
                                          "ab c",
                                          "' s",
                                          "r e",
                                          "' re",
                                          "1 2",
                                          "! !",
                                          "\xC4\xA0 \xC4\xA0",
                                          "\xC3\x83 \xC2\xA9"};

// Each test's own folder.
class TempDir : public shopdesk::testing::TempDir {
 public:
  TempDir() : shopdesk::testing::TempDir("shopdesk_bpe") {}
};

// <s> <pad> </s> <unk>, the 256 byte symbols (byte b has id 4 + b), the merge results, then <mask>.
nlohmann::ordered_json handMadeVocab() {
  nlohmann::ordered_json vocab = nlohmann::ordered_json::object();
  const auto add = [&](const std::string& token) {
    const std::size_t id = vocab.size();
    if (!vocab.contains(token)) vocab[token] = id;
  };
  for (const char* special : {"<s>", "<pad>", "</s>", "<unk>"}) add(special);
  for (const std::string& symbol : BpeTokenizer::byteSymbols()) add(symbol);
  for (const std::string& merge : kMerges) {
    const auto space = merge.find(' ');
    add(merge.substr(0, space) + merge.substr(space + 1));
  }
  add("<mask>");
  return vocab;
}

void writeHandMade(const TempDir& dir) {
  dir.write("vocab.json", handMadeVocab().dump());
  std::string merges = "#version: 0.2\n";
  for (const std::string& merge : kMerges) merges += merge + "\n";
  dir.write("merges.txt", merges);
}

Tokens tokens(const SubwordTokenizer& tokenizer, std::string_view text, std::size_t maxLength = 512) {
  return tokenizer.encode(text, maxLength).tokens;
}

}  // namespace

TEST(BpeTokenizer, PreTokenizesLikeTheGpt2Pattern) {
  EXPECT_EQ(BpeTokenizer::preTokenize("Hello world's   end!!\n"),
            (Words{"Hello", " world", "'s", "  ", " end", "!!", "\n"}));
  EXPECT_EQ(BpeTokenizer::preTokenize("abc 123 4.5"), (Words{"abc", " 123", " 4", ".", "5"}));
  // The space before a word joins it; a tab is white space of its own.
  EXPECT_EQ(BpeTokenizer::preTokenize("x  \ty"), (Words{"x", "  ", "\t", "y"}));
  EXPECT_EQ(BpeTokenizer::preTokenize("hello \n world"), (Words{"hello", " \n", " world"}));
  EXPECT_EQ(BpeTokenizer::preTokenize("a  "), (Words{"a", "  "}));
  // Contractions are lower case only.
  EXPECT_EQ(BpeTokenizer::preTokenize("I'M 'll'd"), (Words{"I", "'", "M", " '", "ll", "'d"}));
  EXPECT_EQ(BpeTokenizer::preTokenize("it's we're"), (Words{"it", "'s", " we", "'re"}));
  // Letters and numbers of any script; an emoji is neither.
  EXPECT_EQ(BpeTokenizer::preTokenize(" caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC 1\xD9\xA3"),
            (Words{" caf\xC3\xA9", " \xE6\x97\xA5\xE6\x9C\xAC", " 1\xD9\xA3"}));
  EXPECT_EQ(BpeTokenizer::preTokenize(" \xF0\x9F\x98\x80?"), (Words{" \xF0\x9F\x98\x80?"}));
  EXPECT_EQ(BpeTokenizer::preTokenize(""), Words{});
}

TEST(BpeTokenizer, AppliesMergesByRank) {
  const TempDir dir;
  writeHandMade(dir);
  const auto tokenizer = loadTokenizer(dir.path());
  EXPECT_EQ(tokenizer->kind(), "bpe");
  EXPECT_EQ(tokenizer->padId(), 1);
  EXPECT_EQ(tokenizer->vocabSize(), handMadeVocab().size());
  EXPECT_EQ(tokens(*tokenizer, "hello world"), (Tokens{"<s>", "hello", kSpace + "world", "</s>"}));
  const std::int64_t hello = handMadeVocab()["hello"];
  const std::int64_t world = handMadeVocab()[kSpace + "world"];
  EXPECT_EQ(tokenizer->encode("hello world", 16).ids, (Ids{0, hello, world, 2}));
  // "b c" (rank 9) before "a b" (rank 10): "abc" never becomes "ab" "c", so "ab c" cannot apply.
  EXPECT_EQ(tokens(*tokenizer, "abc"), (Tokens{"<s>", "a", "bc", "</s>"}));
  EXPECT_EQ(tokens(*tokenizer, "abd"), (Tokens{"<s>", "ab", "d", "</s>"}));
  // Capitals are other bytes with no merges.
  EXPECT_EQ(tokens(*tokenizer, "Hello"), (Tokens{"<s>", "H", "e", "ll", "o", "</s>"}));
}

TEST(BpeTokenizer, SpacesContractionsDigitsAndPunctuation) {
  const TempDir dir;
  writeHandMade(dir);
  const auto tokenizer = loadTokenizer(dir.path());
  EXPECT_EQ(tokens(*tokenizer, "it's we're"),
            (Tokens{"<s>", "i", "t", "'s", kSpace + "w", "e", "'re", "</s>"}));
  EXPECT_EQ(tokens(*tokenizer, "x 123"), (Tokens{"<s>", "x", kSpace, "12", "3", "</s>"}));
  // "! !" merges left to right without overlap: "!!!" is "!!" "!".
  EXPECT_EQ(tokens(*tokenizer, "hello!!! ?"), (Tokens{"<s>", "hello", "!!", "!", kSpace, "?", "</s>"}));
  // Three spaces before a word: two stand alone (merged "ĠĠ"), the third joins the word.
  EXPECT_EQ(tokens(*tokenizer, "hello   world"),
            (Tokens{"<s>", "hello", kSpace + kSpace, kSpace + "world", "</s>"}));
  EXPECT_EQ(tokens(*tokenizer, "hello  "), (Tokens{"<s>", "hello", kSpace + kSpace, "</s>"}));
  EXPECT_EQ(tokens(*tokenizer, "a\nb"), (Tokens{"<s>", "a", "\xC4\x8A", "b", "</s>"}));  // Ċ
}

TEST(BpeTokenizer, NonAsciiBecomesByteSymbols) {
  const TempDir dir;
  writeHandMade(dir);
  const auto tokenizer = loadTokenizer(dir.path());
  // "é" is C3 A9, "Ã" "©", merged here; "ü" is C3 BC, "Ã" "¼", not merged.
  EXPECT_EQ(tokens(*tokenizer, "\xC3\xA9\xC3\xBC"),
            (Tokens{"<s>", "\xC3\x83\xC2\xA9", "\xC3\x83", "\xC2\xBC", "</s>"}));
  const std::int64_t byteC3 = 4 + 0xC3;
  const std::int64_t byteBC = 4 + 0xBC;
  EXPECT_EQ(tokenizer->encode("\xC3\xBC", 8).ids, (Ids{0, byteC3, byteBC, 2}));
  // 😀 is F0 9F 98 80: "ð" then three bytes outside printable Latin-1, shifted to U+0141 "Ł", U+013A "ĺ",
  // U+0122 "Ģ".
  EXPECT_EQ(tokens(*tokenizer, "\xF0\x9F\x98\x80"),
            (Tokens{"<s>", "\xC3\xB0", "\xC5\x81", "\xC4\xBA", "\xC4\xA2", "</s>"}));
}

TEST(BpeTokenizer, KeepsLiteralSpecialTokensAndTruncates) {
  const TempDir dir;
  writeHandMade(dir);
  const auto tokenizer = loadTokenizer(dir.path());
  EXPECT_EQ(tokens(*tokenizer, "hello<s>world"), (Tokens{"<s>", "hello", "<s>", "w", "or", "ld", "</s>"}));
  // <s> keeps the spaces around it; <mask> swallows the one before it, as RoBERTa's AddedToken(lstrip=True).
  EXPECT_EQ(tokens(*tokenizer, "hello <s> world"),
            (Tokens{"<s>", "hello", kSpace, "<s>", kSpace + "world", "</s>"}));
  EXPECT_EQ(tokens(*tokenizer, "hello <mask> world"),
            (Tokens{"<s>", "hello", "<mask>", kSpace + "world", "</s>"}));
  EXPECT_EQ(tokens(*tokenizer, "<S>"), (Tokens{"<s>", "<", "S", ">", "</s>"}));
  EXPECT_EQ(tokens(*tokenizer, ""), (Tokens{"<s>", "</s>"}));
  const auto truncated = tokenizer->encode("hello world hello", 3);
  EXPECT_EQ(truncated.tokens, (Tokens{"<s>", "hello", "</s>"}));
  EXPECT_EQ(truncated.ids.size(), 3u);
  EXPECT_EQ(tokenizer->encode("hello world", 2).ids, (Ids{0, 2}));
  EXPECT_THROW(tokenizer->encode("hello", 1), std::invalid_argument);
  EXPECT_THROW(tokenizer->encode("\xC3", 8), std::invalid_argument);
}

TEST(BpeTokenizer, TokenizerJsonEqualsVocabAndMerges) {
  const TempDir files;
  writeHandMade(files);
  const auto fromFiles = loadTokenizer(files.path());
  const auto vocab = handMadeVocab();
  for (const bool pairs : {false, true}) {
    nlohmann::ordered_json merges = nlohmann::ordered_json::array();
    for (const std::string& merge : kMerges) {
      const auto space = merge.find(' ');
      if (pairs)
        merges.push_back({merge.substr(0, space), merge.substr(space + 1)});
      else
        merges.push_back(merge);
    }
    nlohmann::ordered_json added = nlohmann::ordered_json::array();
    for (const char* special : {"<s>", "<pad>", "</s>", "<unk>", "<mask>"})
      added.push_back({{"id", vocab[special]},
                       {"content", special},
                       {"lstrip", std::string(special) == "<mask>"},
                       {"rstrip", false},
                       {"special", true}});
    const nlohmann::ordered_json json = {
        {"added_tokens", added},
        {"normalizer", nullptr},
        {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}}},
        {"post_processor", {{"type", "RobertaProcessing"}, {"sep", {"</s>", 2}}, {"cls", {"<s>", 0}}}},
        {"model", {{"type", "BPE"}, {"unk_token", nullptr}, {"vocab", vocab}, {"merges", merges}}}};
    const TempDir dir;
    dir.write("tokenizer.json", json.dump());
    const auto fromJson = loadTokenizer(dir.path());
    EXPECT_EQ(fromJson->kind(), "bpe");
    for (const char* text :
         {"hello world", "abc abd", "it's  <mask> x 123!!!", "\xC3\xA9\xF0\x9F\x98\x80 <s>"})
      EXPECT_EQ(fromJson->encode(text, 64).ids, fromFiles->encode(text, 64).ids)
          << text << " pairs " << pairs;
  }
}

TEST(BpeTokenizer, WrittenFilesRoundTrip) {
  const std::vector<std::string> texts = {"Where is my refund?", "my refund is late", "refund  please!",
                                          "caf\xC3\xA9 \xF0\x9F\x98\x80 order #4829"};
  const TempDir dir;
  writeBpeFiles(dir.path(), texts, 40);
  const auto vocab = nlohmann::ordered_json::parse(dir.read("vocab.json"));
  EXPECT_EQ(vocab["<s>"], 0);
  EXPECT_EQ(vocab["<pad>"], 1);
  EXPECT_EQ(vocab["</s>"], 2);
  EXPECT_EQ(vocab["<unk>"], 3);
  // Byte symbols in bytes_to_unicode's order, the 188 printable bytes first, as in GPT-2's encoder.json where
  // "!" is 0 and "Ġ" 220.
  EXPECT_EQ(vocab["!"], 4);
  EXPECT_EQ(vocab[kSpace], 4 + 220);
  const std::string merges = dir.read("merges.txt");
  EXPECT_TRUE(merges.starts_with("#version: 0.2\n")) << merges;
  EXPECT_EQ(std::count(merges.begin(), merges.end(), '\n'), 41);

  const auto tokenizer = loadTokenizer(dir.path());
  for (const std::string& text : texts)
    for (const std::int64_t id : tokenizer->encode(text, 512).ids) EXPECT_NE(id, 3) << text;
  // The pairs of "refund" (three times, twice after a space) are the most frequent, so its five merges come
  // first ("r e", "f u", "fu n", "fun d", "re fund"), and "Ġ refund" follows within the 40.
  EXPECT_EQ(tokens(*tokenizer, "refund"), (Tokens{"<s>", "refund", "</s>"}));
  EXPECT_EQ(tokens(*tokenizer, " refund"), (Tokens{"<s>", kSpace + "refund", "</s>"}));

  const TempDir again;
  writeBpeFiles(again.path(), texts, 40);
  EXPECT_EQ(again.read("vocab.json"), dir.read("vocab.json"));
  EXPECT_EQ(again.read("merges.txt"), merges);
}

TEST(BpeTokenizer, MalformedFilesNameTheFile) {
  const auto expectError = [](const TempDir& dir, const std::string& file, const std::string& detail) {
    try {
      loadTokenizer(dir.path());
      ADD_FAILURE() << "loaded although " << detail;
    } catch (const TokenizerError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(file), std::string::npos) << message;
      EXPECT_NE(message.find(detail), std::string::npos) << message;
    }
  };
  const TempDir dir;
  writeHandMade(dir);
  dir.write("vocab.json", "{\"<s>\": 0,");
  expectError(dir, "vocab.json", "parse error");
  writeHandMade(dir);
  dir.write("merges.txt", "#version: 0.2\nh e\nll\n");
  expectError(dir, "merges.txt", "line 3");
  fs::remove(dir.path() / "merges.txt");
  expectError(dir, "merges.txt", "cannot be read");
  dir.write("merges.txt", "#version: 0.2\n");
  dir.write("vocab.json", R"({"<s>": 0, "</s>": 2, "<pad>": 1})");
  expectError(dir, "vocab.json", "<unk>");
  // An id of 10^18 once sized the id → token table by it.
  dir.write("vocab.json", R"({"<s>": 0, "</s>": 2, "<pad>": 1, "<unk>": 1000000000000000000})");
  expectError(dir, "vocab.json", "above the limit");
  dir.write("tokenizer.json", R"({"model": {"type": "Unigram", "vocab": []}})");
  expectError(dir, "tokenizer.json", "Unigram");
  expectError(TempDir(), "", "has no tokenizer.json");
}

TEST(LoadTokenizer, ChoosesTheKindFromTheFolderContents) {
  const TempDir dir;
  std::string vocabTxt;
  for (const char* token : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello"})
    vocabTxt += token + std::string("\n");
  dir.write("vocab.txt", vocabTxt);
  EXPECT_EQ(loadTokenizer(dir.path())->kind(), "wordpiece");
  writeHandMade(dir);  // vocab.json and merges.txt come before vocab.txt
  EXPECT_EQ(loadTokenizer(dir.path())->kind(), "bpe");
  nlohmann::json wordPiece = {
      {"model",
       {{"type", "WordPiece"}, {"vocab", {{"[PAD]", 0}, {"[UNK]", 1}, {"[CLS]", 2}, {"[SEP]", 3}}}}}};
  dir.write("tokenizer.json", wordPiece.dump());  // and tokenizer.json before both
  EXPECT_EQ(loadTokenizer(dir.path())->kind(), "wordpiece");
  dir.write("tokenizer_config.json", "{}");
  EXPECT_EQ(tokenizerFiles(dir.path()),
            (std::vector<fs::path>{dir.path() / "tokenizer.json", dir.path() / "tokenizer_config.json",
                                   dir.path() / "vocab.txt", dir.path() / "vocab.json",
                                   dir.path() / "merges.txt"}));
  EXPECT_THROW(loadTokenizer(dir.path() / "missing"), TokenizerError);
}
