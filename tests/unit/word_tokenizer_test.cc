#include "text/word_tokenizer.h"

#include <gtest/gtest.h>

#include "text/normalizer.h"

using shopdesk::text::Normalizer;
using shopdesk::text::WordTokenizer;
using Words = std::vector<std::string>;

TEST(Normalizer, FoldsCaseAndCompatibilityForms) {
  const Normalizer normalizer;
  EXPECT_EQ(normalizer.normalize("REFUND Please"), "refund please");
  EXPECT_EQ(normalizer.normalize("\xEF\xAC\x81le"), "file");                       // ligature ﬁ
  EXPECT_EQ(normalizer.normalize("\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93"), "123");  // full-width digits
  EXPECT_EQ(normalizer.normalize("Stra\xC3\x9F"
                                 "e"),
            "strasse");                                      // ß case-folds to ss
  EXPECT_EQ(normalizer.normalize("e\xCC\x81"), "\xC3\xA9");  // e + combining acute → é
  EXPECT_THROW(normalizer.normalize("bad \xFF"), std::invalid_argument);
  EXPECT_EQ(Normalizer({false, false}).normalize("KEEP"), "KEEP");
}

TEST(WordTokenizer, SplitsOnPunctuationAndKeepsInnerApostrophes) {
  const WordTokenizer tokenizer;
  // Case is left alone: folding it is the Normalizer's job.
  EXPECT_EQ(tokenizer.tokenize("where's my order #SD-4829?? it's late!"),
            (Words{"where's", "my", "order", "SD", "4829", "it's", "late"}));
  EXPECT_EQ(tokenizer.tokenize("don\xE2\x80\x99t 'quoted'"), (Words{"don't", "quoted"}));
  EXPECT_EQ(tokenizer.tokenize("caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC"),
            (Words{"caf\xC3\xA9", "\xE6\x97\xA5\xE6\x9C\xAC"}));
  EXPECT_EQ(tokenizer.tokenize(""), Words{});
  EXPECT_EQ(tokenizer.tokenize("?!... --"), Words{});
  EXPECT_EQ(tokenizer.tokenize("ab\xFF"
                               "cd"),
            (Words{"ab", "cd"}));  // a bad byte is a boundary
}

TEST(WordTokenizer, LemmatizesWithWordNet) {
  const WordTokenizer tokenizer({.lemmatize = true});
  EXPECT_EQ(tokenizer.tokenize("stores bought parcels was delivered"),
            (Words{"store", "buy", "parcel", "be", "deliver"}));
  EXPECT_EQ(tokenizer.tokenize("order 4829 caf\xC3\xA9 xqzzy"),
            (Words{"order", "4829", "caf\xC3\xA9", "xqzzy"}));
}

TEST(WordTokenizer, OptionalStepsKeepNegations) {
  const WordTokenizer classic({.alphabeticOnly = true, .removeStopWords = true});
  EXPECT_EQ(classic.tokenize("i have not received order 123 and it is never coming"),
            (Words{"not", "received", "order", "never", "coming"}));
  EXPECT_FALSE(WordTokenizer::stopWords().contains("not"));
  EXPECT_FALSE(WordTokenizer::stopWords().contains("no"));
}
