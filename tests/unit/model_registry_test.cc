// Naming, saving and recording trained versions: ModelRegistry on a real SQLite store.
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "service/model_registry.h"
#include "service/training_data.h"

using namespace shopdesk;

// Servers sharing a database train into data folders of their own, so a name free in this server's folder may
// be taken in the store by another server's version of the same second: the next suffix is used instead of
// failing the training.
TEST(ModelRegistry, ANameAnotherServerTookInTheStoreGetsTheNextSuffix) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("shopdesk-registry-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    const auto store = store::openStore("sqlite:" + (dir / "db").string());
    service::TrainingData data(*store);
    for (const char* q : {"where is my parcel", "track my order", "has my package shipped", "order tracking"})
      data.add({q, "order_status"}, "import");
    for (const char* q : {"I want a refund", "refund my money", "give me my money back", "refund please"})
      data.add({q, "refunds"}, "import");

    // Another server's versions for every second the training below may end in, with no folder here.
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    std::vector<std::string> taken;
    for (int s = 0; s < 30; ++s) {
      store::ModelVersion other;
      other.version = fmt::format("linear-{:%Y%m%d-%H%M%S}", now + std::chrono::seconds(s));
      other.kind = "linear";
      other.artifactPath = (dir / "elsewhere" / other.version).string();
      store->addModelVersion(other, "not read here");
      taken.push_back(other.version);
    }

    model::TrainingOptions options;
    options.kind = "linear";
    options.testFraction = 0;
    options.outOfScopeClass = false;
    service::ModelRegistry registry(*store, dir);
    const auto trained = registry.train(options, {}, false).version;
    ASSERT_NE(std::find(taken.begin(), taken.end(), trained.version.substr(0, trained.version.size() - 2)),
              taken.end())
        << trained.version;
    EXPECT_EQ(trained.version.substr(trained.version.size() - 2), "-2");
    EXPECT_TRUE(std::filesystem::exists(dir / "models" / trained.version / "model.json"));
    EXPECT_EQ(registry.load(trained.version).card.kind, "linear");
    EXPECT_EQ(registry.versions().size(), taken.size() + 1);
    // The refused attempt left no folder behind.
    for (const auto& name : taken) EXPECT_FALSE(std::filesystem::exists(dir / "models" / name)) << name;
  }
  std::filesystem::remove_all(dir);
}
