// The group commit: concurrent callers each get their own interaction's id back, stored, whichever batch it
// went in.
#include "service/interaction_writer.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "temp_dir.h"

using namespace shopdesk;

namespace {

store::Interaction question(const std::string& text) {
  store::Interaction interaction;
  interaction.query = text;
  interaction.category = "shipping";
  interaction.createdAt = 1;
  return interaction;
}

}  // namespace

TEST(InteractionWriter, EveryCallerGetsTheIdOfItsOwnInteraction) {
  shopdesk::testing::TempDir dir("interaction_writer");
  auto store = store::openStore("sqlite:" + (dir.path() / "db").string());
  constexpr int kThreads = 16, kEach = 40;
  std::vector<std::vector<std::int64_t>> ids(kThreads);
  {
    service::InteractionWriter writer(*store);
    std::vector<std::thread> callers;
    for (int t = 0; t < kThreads; ++t) {
      callers.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i)
          ids[t].push_back(
              writer.write(question("caller " + std::to_string(t) + " question " + std::to_string(i))));
      });
    }
    for (auto& c : callers) c.join();
  }
  std::set<std::int64_t> distinct;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      const auto id = ids[t][i];
      distinct.insert(id);
      const auto stored = store->interaction(id);
      ASSERT_TRUE(stored) << "id " << id;
      EXPECT_EQ(stored->query, "caller " + std::to_string(t) + " question " + std::to_string(i));
    }
  }
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * kEach));
}

TEST(InteractionWriter, ACallerAfterAQuietSpellIsStoredToo) {
  shopdesk::testing::TempDir dir("interaction_writer");
  auto store = store::openStore("sqlite:" + (dir.path() / "db").string());
  service::InteractionWriter writer(*store);
  const auto first = writer.write(question("first"));
  // The writer is idle by now, waiting for a caller to wake it.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto second = writer.write(question("second"));
  EXPECT_NE(first, second);
  EXPECT_EQ(store->interaction(second)->query, "second");
}
