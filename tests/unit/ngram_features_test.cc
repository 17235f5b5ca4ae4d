#include "model/ngram_features.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

using shopdesk::model::NgramFeaturizer;

namespace {

NgramFeaturizer::Options wordsOnly(int ngrams) {
  NgramFeaturizer::Options options;
  options.wordNgrams = ngrams;
  options.charMin = 0;
  return options;
}

}  // namespace

TEST(NgramFeatures, CountsWordsBigramsAndCharacterNgrams) {
  EXPECT_EQ(NgramFeaturizer(wordsOnly(1)).features("where is my parcel").size(), 4u);
  EXPECT_EQ(NgramFeaturizer(wordsOnly(2)).features("where is my parcel").size(), 4u + 3u);
  EXPECT_EQ(NgramFeaturizer(wordsOnly(3)).features("where is my parcel").size(), 4u + 3u + 2u);
  // "<box>" has 5 code points: 3 trigrams, 2 four-grams, 1 five-gram would be the whole word, so it is
  // skipped.
  NgramFeaturizer::Options chars = wordsOnly(1);
  chars.charMin = 3;
  chars.charMax = 5;
  EXPECT_EQ(NgramFeaturizer(chars).features("box").size(), 1u + 3u + 2u);
  // Code points, not bytes: "<café>" has 6 code points → 4 + 3 + 2 n-grams.
  EXPECT_EQ(NgramFeaturizer(chars).features("caf\xC3\xA9").size(), 1u + 4u + 3u + 2u);
}

TEST(NgramFeatures, IsStableAndCaseInsensitive) {
  const NgramFeaturizer featurizer;
  const auto a = featurizer.features("Where is my PARCEL?");
  EXPECT_EQ(a, featurizer.features("where is my parcel"));
  EXPECT_EQ(a, NgramFeaturizer().features("where is my parcel"));
  for (auto id : a) {
    EXPECT_GE(id, 0);
    EXPECT_LT(id, featurizer.options().buckets);
  }
  // Word order matters through bigrams only.
  const auto b = featurizer.features("parcel my is where");
  EXPECT_NE(std::set(a.begin(), a.end()), std::set(b.begin(), b.end()));
}

TEST(NgramFeatures, MisspellingsShareCharacterNgrams) {
  const NgramFeaturizer featurizer;
  const auto right = featurizer.features("refund");
  const auto typo = featurizer.features("refnud");
  const std::set<std::int64_t> rightSet(right.begin(), right.end());
  const auto shared = std::count_if(typo.begin(), typo.end(), [&](auto id) { return rightSet.contains(id); });
  EXPECT_GE(shared, 2);  // "<re", "ref"
}

TEST(NgramFeatures, BoundsHugeAndHandlesHostileInput) {
  NgramFeaturizer::Options options;
  options.maxWords = 10;
  const NgramFeaturizer featurizer(options);
  std::string huge;
  for (int i = 0; i < 20000; ++i) huge += "word ";
  // 10 words × ("word" + 4 trigrams + 3 four-grams + 2 five-grams of "<word>") + 9 bigrams.
  EXPECT_EQ(featurizer.features(huge).size(), 10u * 10u + 9u);
  EXPECT_TRUE(featurizer.features("").empty());
  EXPECT_TRUE(featurizer.features("?!").empty());
  EXPECT_FALSE(featurizer.features("ok \xFF\xFE bytes").empty());
  options.buckets = 0;
  EXPECT_THROW(NgramFeaturizer{options}, std::invalid_argument);
}
