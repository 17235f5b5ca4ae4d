// TF-IDF rows against values worked out by hand, the two blocks, the vocabulary and its round trip.
#include "model/tfidf_features.h"

#include <gtest/gtest.h>

#include <cmath>

using shopdesk::model::ArtifactError;
using shopdesk::model::SparseRow;
using shopdesk::model::TensorMap;
using shopdesk::model::TfidfFeaturizer;

namespace {

TfidfFeaturizer::Options wordsOnly() {
  TfidfFeaturizer::Options options;
  options.terms.wordNgrams = 1;
  options.terms.charMin = 0;
  return options;
}

double squaredLength(const SparseRow& row) {
  double sum = 0;
  for (float v : row.values) sum += static_cast<double>(v) * v;
  return sum;
}

}  // namespace

TEST(TfidfFeatures, WeighsTermsLikeScikitLearnsSublinearSmoothedTfidf) {
  // Three texts: "red" and "shoe" are in two of them, "hat" and "blue" in one.
  // idf = ln((1 + 3) / (1 + df)) + 1: red, shoe 1.287682; hat, blue 1.693147.
  const auto featurizer = TfidfFeaturizer::fit({"red shoe", "red hat", "blue shoe shoe"}, wordsOnly());
  EXPECT_EQ(featurizer.size(), 4);
  // "blue shoe shoe": blue 1 × 1.693147; shoe (1 + ln 2) × 1.287682 = 2.180257; length 2.760466.
  const auto row = featurizer.transform("Blue SHOE shoe!");
  ASSERT_EQ(row.indices.size(), 2u);
  const auto blue = featurizer.transform("blue").indices.at(0);
  const auto shoe = featurizer.transform("shoe").indices.at(0);
  for (std::size_t i = 0; i < 2; ++i) {
    const double expected = row.indices[i] == blue ? 0.613356 : 0.789807;
    EXPECT_TRUE(row.indices[i] == blue || row.indices[i] == shoe);
    EXPECT_NEAR(row.values[i], expected, 1e-5);
  }
  EXPECT_LT(row.indices[0], row.indices[1]);  // ascending, as LIBLINEAR needs
  // One term alone has length 1 whatever its weight.
  EXPECT_NEAR(featurizer.transform("hat").values.at(0), 1.0, 1e-6);
  // Words no training text had add nothing.
  EXPECT_TRUE(featurizer.transform("purple boots").indices.empty());
  EXPECT_TRUE(featurizer.transform("").indices.empty());
}

TEST(TfidfFeatures, WordAndCharacterBlocksHaveTheirOwnLength) {
  auto options = wordsOnly();
  options.terms.wordNgrams = 2;
  options.terms.charMin = 2;
  options.terms.charMax = 4;
  options.characterWeight = 0.5;
  const auto featurizer = TfidfFeaturizer::fit({"where is my parcel", "refund my order"}, options);
  // Each block is scaled to its length: 1 for words, 0.5 for characters.
  EXPECT_NEAR(squaredLength(featurizer.transform("where is my order")), 1.0 + 0.25, 1e-5);
  // A misspelt word shares character n-grams ("<pa", "par", "arc", …) with the vocabulary, and no word.
  const auto typo = featurizer.transform("parcle");
  EXPECT_FALSE(typo.indices.empty());
  EXPECT_NEAR(squaredLength(typo), 0.25, 1e-5);
}

TEST(TfidfFeatures, LeavesOutRareTermsAndRoundTripsThroughTensors) {
  auto options = wordsOnly();
  options.minDocuments = 2;
  const auto featurizer = TfidfFeaturizer::fit({"red shoe", "red hat", "blue shoe"}, options);
  EXPECT_EQ(featurizer.size(), 2);  // red, shoe
  EXPECT_TRUE(featurizer.transform("hat blue").indices.empty());

  TensorMap tensors;
  featurizer.addTensors(tensors, "tfidf.");
  const auto loaded = TfidfFeaturizer::fromTensors(tensors, "tfidf.", options, "model.safetensors");
  EXPECT_TRUE(tensors.empty());  // it took what it read
  for (const auto* text : {"red shoe shoe", "shoe", "nothing known"}) {
    const auto a = featurizer.transform(text);
    const auto b = loaded.transform(text);
    EXPECT_EQ(a.indices, b.indices);
    EXPECT_EQ(a.values, b.values);
  }
}

TEST(TfidfFeatures, RefusesAVocabularyThatIsNotAscending) {
  TensorMap tensors;
  TfidfFeaturizer::fit({"red shoe", "blue hat"}, wordsOnly()).addTensors(tensors, "");
  auto terms = tensors.at("terms").toInt64s("terms");
  std::swap(terms.front(), terms.back());
  tensors["terms"] = shopdesk::model::int64Tensor(terms);
  try {
    TfidfFeaturizer::fromTensors(tensors, "", wordsOnly(), "dir/model.safetensors");
    FAIL() << "an unsorted vocabulary was accepted";
  } catch (const ArtifactError& e) {
    EXPECT_NE(std::string(e.what()).find("dir/model.safetensors"), std::string::npos) << e.what();
  }
  TensorMap missing;
  EXPECT_THROW(TfidfFeaturizer::fromTensors(missing, "", wordsOnly(), "x"), ArtifactError);
}
