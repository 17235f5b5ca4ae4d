// Keeps the shipped demo data honest: complete, well-formed, every category at its minimum, and test files
// that share no query or near-paraphrase with the training split (so accuracy on them measures
// generalization).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "service/example_file.h"
#include "service/importer.h"

using namespace shopdesk::service;

namespace {

const std::filesystem::path kData = SHOPDESK_SOURCE_DIR "/data";

const std::vector<std::string> kCategories = {
    "order_status",           "order_changes",       "order_cancellation", "returns_refunds",
    "shipping_delivery",      "payment_billing",     "account_access",     "product_information",
    "promotions_loyalty",     "feedback_complaints", "contact_human",      "store_information",
    "newsletter_subscription"};
const std::vector<std::string> kSmallTalk = {"greeting", "thanks", "goodbye", "bot_identity", "help_menu"};

// The minimums issue 19 set: enough rows per category for real customers' variety.
constexpr int kTrainMinimum = 400;
constexpr int kSmallTalkTrainMinimum = 150;
constexpr int kTestMinimum = 40;
constexpr int kMessyMinimum = 60;
constexpr std::size_t kOutOfScopeMinimum = 800;

const std::vector<std::string> kTestFiles = {"test.csv", "test_messy.csv"};
const std::vector<std::string> kLabelledFiles = {"train.csv", "test.csv", "test_messy.csv"};

// Lower-cased, ASCII punctuation removed, runs of space collapsed: two queries equal under this are the same
// query for a model.
std::string nearKey(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::ispunct(c)) continue;
    if (std::isspace(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += static_cast<char>(std::tolower(c));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The query's distinct lower-cased ASCII letter-and-digit runs, as sorted ids shared across calls.
std::vector<int> tokenSet(const std::string& text, std::map<std::string, int>& ids) {
  std::vector<int> tokens;
  std::string word;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const auto c = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
    if (c < 128 && std::isalnum(c)) {
      word += static_cast<char>(std::tolower(c));
    } else if (!word.empty()) {
      tokens.push_back(ids.emplace(word, static_cast<int>(ids.size())).first->second);
      word.clear();
    }
  }
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  return tokens;
}

double jaccard(const std::vector<int>& a, const std::vector<int>& b) {
  if (a.empty() && b.empty()) return 1.0;
  std::size_t shared = 0;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] == b[j]) {
      ++shared, ++i, ++j;
    } else if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return static_cast<double>(shared) / static_cast<double>(a.size() + b.size() - shared);
}

std::map<std::string, int> countByLabel(const std::vector<FileExample>& rows) {
  std::map<std::string, int> counts;
  for (const auto& row : rows) ++counts[row.label];
  return counts;
}

std::vector<FileExample> outOfScopeRows() {
  ExampleFileOptions options;
  options.labelColumn = "text";  // the file has one column
  options.maxLabelLength = options.maxTextLength;
  return readExampleFile(kData / "out_of_scope.csv", options);
}

std::string firstOf(const std::vector<std::string>& list) { return list.empty() ? "" : list.front(); }

}  // namespace

TEST(DemoData, CatalogHasEveryCategoryWithAnAnswerAndRecommendations) {
  const auto catalog = readCatalog(kData / "categories.json");
  std::vector<std::string> names, smallTalk;
  for (const auto& category : catalog) {
    (category.smallTalk ? smallTalk : names).push_back(category.name);
    EXPECT_FALSE(category.description.empty()) << category.name;
    if (category.smallTalk) {
      // A greeting gets a short reply of its own, not articles.
      EXPECT_GE(category.response.size(), 20u) << category.name;
      EXPECT_TRUE(category.recommendations.empty()) << category.name;
      continue;
    }
    EXPECT_GE(category.response.size(), 40u) << category.name;
    EXPECT_GE(category.recommendations.size(), 3u) << category.name;
    EXPECT_LE(category.recommendations.size(), 5u) << category.name;
    for (const auto& r : category.recommendations) {
      EXPECT_FALSE(r.title.empty() || r.body.empty()) << category.name;
      EXPECT_EQ(r.actionLabel.has_value(), r.actionUrl.has_value()) << category.name;
    }
  }
  EXPECT_EQ(names, kCategories);
  EXPECT_EQ(smallTalk, kSmallTalk);
}

TEST(DemoData, EveryCategoryHasItsMinimumAndEveryLabelIsInTheCatalog) {
  std::set<std::string> known;
  for (const auto& category : readCatalog(kData / "categories.json")) known.insert(category.name);
  std::vector<std::string> problems;
  const auto check = [&](const std::string& file, int minimum, int smallTalkMinimum) {
    const auto rows = readExampleFile(kData / file, {});
    for (const auto& row : rows) {
      if (!known.contains(row.label))
        problems.push_back(file + ":" + std::to_string(row.line) + ": label '" + row.label +
                           "' is not a category");
    }
    const auto counts = countByLabel(rows);
    for (const auto& name : known) {
      const bool small = std::find(kSmallTalk.begin(), kSmallTalk.end(), name) != kSmallTalk.end();
      const int want = small ? smallTalkMinimum : minimum;
      const int have = counts.contains(name) ? counts.at(name) : 0;
      if (have < want)
        problems.push_back(file + ": " + name + " has " + std::to_string(have) + " rows, under " +
                           std::to_string(want));
    }
  };
  check("train.csv", kTrainMinimum, kSmallTalkTrainMinimum);
  check("test.csv", kTestMinimum, kTestMinimum);
  check("test_messy.csv", kMessyMinimum, kMessyMinimum);
  EXPECT_GE(outOfScopeRows().size(), kOutOfScopeMinimum);
  EXPECT_TRUE(problems.empty()) << problems.size() << " problems, first: " << firstOf(problems);
}

TEST(DemoData, NoQueryAppearsTwice) {
  std::map<std::string, std::string> seen;  // near key → where it was first seen
  std::vector<std::string> repeats;
  for (const auto& file : kLabelledFiles) {
    for (const auto& row : readExampleFile(kData / file, {})) {
      const auto [it, inserted] = seen.emplace(nearKey(row.text), file + ":" + std::to_string(row.line));
      if (!inserted) repeats.push_back(file + ":" + std::to_string(row.line) + " repeats " + it->second);
    }
  }
  for (const auto& row : outOfScopeRows()) {
    if (seen.contains(nearKey(row.text)))
      repeats.push_back("out_of_scope.csv:" + std::to_string(row.line) + " is labelled elsewhere");
  }
  EXPECT_TRUE(repeats.empty()) << repeats.size() << " repeats, first: " << firstOf(repeats);
}

// A test row that shares almost all its words with a training row measures recall, not generalization.
TEST(DemoData, NoTestQueryIsANearDuplicateOfATrainingQuery) {
  std::map<std::string, int> ids;
  std::vector<std::pair<std::vector<int>, std::string>> train;
  for (const auto& row : readExampleFile(kData / "train.csv", {}))
    train.emplace_back(tokenSet(row.text, ids), "train.csv:" + std::to_string(row.line) + " " + row.text);
  std::vector<std::string> near;
  for (const auto& file : kTestFiles) {
    for (const auto& row : readExampleFile(kData / file, {})) {
      const auto tokens = tokenSet(row.text, ids);
      for (const auto& [other, where] : train) {
        // Jaccard ≥ 0.8 needs the smaller set to hold at least 0.8 of the larger one's size.
        const auto [small, large] = std::minmax(tokens.size(), other.size());
        if (small * 5 < large * 4) continue;
        if (jaccard(tokens, other) >= 0.8)
          near.push_back(file + ":" + std::to_string(row.line) + " " + row.text + " ~ " + where);
      }
    }
  }
  EXPECT_TRUE(near.empty()) << near.size() << " near duplicates, first: " << firstOf(near);
}

// The boundaries in data/README.md that a keyword can find, so a relabelled row or a new one cannot drift
// from them.
TEST(DemoData, LabelsFollowTheBoundariesInTheReadme) {
  const std::regex discount(R"(promo|discount|voucher|coupon|gift ?card|points|rewards)", std::regex::icase);
  const std::regex placing(R"(\b(place|placing) (an|a new|my|the) order\b|\border (by|over the) phone\b)",
                           std::regex::icase);
  const std::regex cancelling(R"(\bcancel)", std::regex::icase);
  std::vector<std::string> wrong;
  for (const auto& file : kLabelledFiles) {
    for (const auto& row : readExampleFile(kData / file, {})) {
      const auto where = file + ":" + std::to_string(row.line) + " (" + row.label + ") " + row.text;
      if (row.label == "order_changes" && std::regex_search(row.text, discount))
        wrong.push_back("a code, voucher, gift card or points is promotions_loyalty: " + where);
      if (std::regex_search(row.text, placing) && !std::regex_search(row.text, cancelling) &&
          row.label != "order_changes")
        wrong.push_back("placing an order is order_changes: " + where);
    }
  }
  EXPECT_TRUE(wrong.empty()) << wrong.size() << " rows, first: " << firstOf(wrong);
}
