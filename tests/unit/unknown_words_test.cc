// The unknown-word share: as served, left out for training texts, and its round trip through tensors.
#include "model/unknown_words.h"

#include <gtest/gtest.h>

using shopdesk::model::ArtifactError;
using shopdesk::model::NgramFeaturizer;
using shopdesk::model::TensorMap;
using shopdesk::model::UnknownWords;

namespace {

const std::vector<std::string> kTexts = {"where is my order", "cancel my order", "where is the store"};

}  // namespace

TEST(UnknownWords, CountsTheWordsNoTrainingTextHas) {
  const auto words = UnknownWords::fit(kTexts, NgramFeaturizer::Options{});
  EXPECT_DOUBLE_EQ(words.share("where is my order"), 0.0);
  EXPECT_DOUBLE_EQ(words.share("Where is my ZALANDO order?"),
                   1.0 / 5.0);  // normalized like the model's terms
  EXPECT_DOUBLE_EQ(words.share("javascript returns undefined"), 1.0);
  EXPECT_DOUBLE_EQ(words.share("order order zalando"), 1.0 / 3.0);  // every occurrence counts
  EXPECT_DOUBLE_EQ(words.share("?!"), 1.0);                         // no words at all
}

TEST(UnknownWords, LeavesATrainingTextOutOfItsOwnCounts) {
  const auto words = UnknownWords::fit(kTexts, NgramFeaturizer::Options{});
  // "cancel" is in one training text only: seen from that text, no other has it. "my" and "order" are in two.
  EXPECT_DOUBLE_EQ(words.shareLeftOut("cancel my order"), 1.0 / 3.0);
  // "the" and "store" are in the third text only; "where" and "is" in two.
  EXPECT_DOUBLE_EQ(words.shareLeftOut("where is the store"), 2.0 / 4.0);
  EXPECT_DOUBLE_EQ(words.share("cancel my order"), 0.0);
}

TEST(UnknownWords, RoundTripsThroughTensors) {
  const auto words = UnknownWords::fit(kTexts, NgramFeaturizer::Options{});
  TensorMap tensors;
  words.addTensors(tensors, "unknown.");
  auto loaded =
      UnknownWords::fromTensors(tensors, "unknown.", NgramFeaturizer::Options{}, "model.safetensors");
  EXPECT_TRUE(tensors.empty());
  for (const auto* text : {"where is my zalando order", "the cat sat", "cancel"})
    EXPECT_DOUBLE_EQ(loaded.share(text), words.share(text)) << text;
  // Loaded models only serve: the training counts are not kept, so nothing is left out.
  EXPECT_DOUBLE_EQ(loaded.shareLeftOut("cancel my order"), 0.0);

  TensorMap missing;
  EXPECT_THROW(
      UnknownWords::fromTensors(missing, "unknown.", NgramFeaturizer::Options{}, "model.safetensors"),
      ArtifactError);
}
