// Keeps the shipped demo data honest: complete, well-formed, and with a test split that shares no query with
// the training split (so accuracy on it measures generalization).
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

std::map<std::string, int> countByLabel(const std::vector<FileExample>& rows) {
  std::map<std::string, int> counts;
  for (const auto& row : rows) ++counts[row.label];
  return counts;
}

}  // namespace

TEST(DemoData, CatalogHasEveryCategoryWithAnAnswerAndRecommendations) {
  const auto catalog = readCatalog(kData / "categories.json");
  std::vector<std::string> names;
  for (const auto& category : catalog) {
    names.push_back(category.name);
    EXPECT_FALSE(category.description.empty()) << category.name;
    EXPECT_GE(category.response.size(), 40u) << category.name;
    EXPECT_GE(category.recommendations.size(), 3u) << category.name;
    EXPECT_LE(category.recommendations.size(), 5u) << category.name;
    for (const auto& r : category.recommendations) {
      EXPECT_FALSE(r.title.empty() || r.body.empty()) << category.name;
      EXPECT_EQ(r.actionLabel.has_value(), r.actionUrl.has_value()) << category.name;
    }
  }
  EXPECT_EQ(names, kCategories);
}

TEST(DemoData, SplitsAreLargeEnoughAndUseOnlyCatalogLabels) {
  const auto train = countByLabel(readExampleFile(kData / "train.csv", {}));
  const auto test = countByLabel(readExampleFile(kData / "test.csv", {}));
  ASSERT_EQ(train.size(), kCategories.size());
  ASSERT_EQ(test.size(), kCategories.size());
  for (const auto& name : kCategories) {
    EXPECT_GE(train.at(name), 160) << name;
    EXPECT_GE(test.at(name), 40) << name;
  }
}

TEST(DemoData, NoQueryAppearsTwice) {
  std::map<std::string, std::string> seen;  // near key → where it was first seen
  std::vector<std::string> repeats;
  for (const auto* file : {"train.csv", "test.csv"}) {
    for (const auto& row : readExampleFile(kData / file, {})) {
      const auto [it, inserted] =
          seen.emplace(nearKey(row.text), std::string(file) + ":" + std::to_string(row.line));
      if (!inserted)
        repeats.push_back(std::string(file) + ":" + std::to_string(row.line) + " repeats " + it->second);
    }
  }
  ExampleFileOptions outOfScope;
  outOfScope.labelColumn = "text";  // the file has one column
  outOfScope.maxLabelLength = outOfScope.maxTextLength;
  std::set<std::string> oosSeen;
  const auto oos = readExampleFile(kData / "out_of_scope.csv", outOfScope);
  EXPECT_GE(oos.size(), 300u);
  for (const auto& row : oos) {
    const auto key = nearKey(row.text);
    if (seen.contains(key))
      repeats.push_back("out_of_scope.csv:" + std::to_string(row.line) + " is labelled elsewhere");
  }
  EXPECT_TRUE(repeats.empty()) << repeats.size() << " repeats, first: " << repeats.front();
}

// The boundaries in data/README.md that a keyword can find, so a relabelled row or a new one cannot drift
// from them.
TEST(DemoData, LabelsFollowTheBoundariesInTheReadme) {
  const std::regex discount(R"(promo|discount|voucher|coupon|gift ?card|points|rewards)", std::regex::icase);
  const std::regex placing(R"(\b(place|placing) (an|a new|my|the) order\b|\border (by|over the) phone\b)",
                           std::regex::icase);
  const std::regex cancelling(R"(\bcancel)", std::regex::icase);
  std::vector<std::string> wrong;
  for (const auto* file : {"train.csv", "test.csv"}) {
    for (const auto& row : readExampleFile(kData / file, {})) {
      const auto where =
          std::string(file) + ":" + std::to_string(row.line) + " (" + row.label + ") " + row.text;
      if (row.label == "order_changes" && std::regex_search(row.text, discount))
        wrong.push_back("a code, voucher, gift card or points is promotions_loyalty: " + where);
      if (std::regex_search(row.text, placing) && !std::regex_search(row.text, cancelling) &&
          row.label != "order_changes")
        wrong.push_back("placing an order is order_changes: " + where);
    }
  }
  EXPECT_TRUE(wrong.empty()) << wrong.size() << " rows, first: " << wrong.front();
}
