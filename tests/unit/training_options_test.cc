// The kinds of model and the options that train them, as the CLI and the API both fill them.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "model/model_kinds.h"
#include "model/training_options.h"

using namespace shopdesk;

TEST(ModelKinds, TheDefaultComesFirstAndOnlyTheTransformerNeedsACheckpoint) {
  EXPECT_EQ(model::modelKindNames(),
            (std::vector<std::string>{"auto", "linear", "ngram", "ensemble", "transformer"}));
  EXPECT_EQ(model::modelKindNames(true), (std::vector<std::string>{"auto", "linear", "ngram", "ensemble"}));
  EXPECT_TRUE(model::modelKind("transformer").batchesAnswers);
  EXPECT_FALSE(model::modelKind("linear").batchesAnswers);
  EXPECT_THROW(model::modelKind("svm"), std::invalid_argument);
}

TEST(TrainingOptions, EpochsAndLearningRateReachEveryModelThatLearnsInEpochs) {
  model::TrainingOptions options;
  options.setEpochs(7);
  options.setLearningRate(0.25);
  EXPECT_EQ(options.ngram.epochs, 7);
  EXPECT_EQ(options.transformer.epochs, 7);
  EXPECT_EQ(options.ngram.learningRate, 0.25);
  EXPECT_EQ(options.transformer.learningRate, 0.25);
  EXPECT_EQ(options.epochs(), 7);
  options.kind = "linear";
  EXPECT_EQ(options.epochs(), 0);
}

TEST(TrainingOptions, ATransformerNeedsAnExistingCheckpointFolder) {
  model::TrainingOptions options;
  EXPECT_NO_THROW(options.check());
  options.kind = "transformer";
  EXPECT_THROW(options.check(), std::invalid_argument);
  options.transformer.checkpoint = "/no/such/folder";
  EXPECT_THROW(options.check(), std::invalid_argument);
  options.transformer.checkpoint = std::filesystem::temp_directory_path();
  EXPECT_NO_THROW(options.check());
  options.kind = "bert";
  EXPECT_THROW(options.check(), std::invalid_argument);
}

TEST(TrainingOptions, AJobRecordsTheSettingsOfTheModelsItsKindTrains) {
  model::TrainingOptions options;
  const auto all = options.toJson();
  EXPECT_EQ(all["kind"], "auto");
  EXPECT_TRUE(all.contains("linear") && all.contains("ngram") && !all.contains("transformer"));
  options.kind = "ngram";
  EXPECT_FALSE(options.toJson().contains("linear"));
  options.kind = "linear";
  EXPECT_FALSE(options.toJson().contains("ngram"));
  options.kind = "transformer";
  const auto transformer = options.toJson();
  EXPECT_TRUE(transformer.contains("transformer") && !transformer.contains("linear"));
}
