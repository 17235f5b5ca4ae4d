#pragma once

// The floor under every accuracy floor: multinomial Naive Bayes on lower-cased word unigrams and bigrams with
// add-one smoothing, about what twenty lines of any language give. The models' tests measure it on the same
// split in the same run and must stay clearly above it, so a floor can never sink to what no learning at all
// would reach.
#include <cctype>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

namespace shopdesk::testing {

inline std::vector<std::string> unigramsAndBigrams(const std::string& text) {
  std::vector<std::string> words(1);
  for (const unsigned char c : text) {
    if (std::isalnum(c)) {
      words.back() += static_cast<char>(std::tolower(c));
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  }
  if (words.back().empty()) words.pop_back();
  std::vector<std::string> terms = words;
  for (std::size_t i = 1; i < words.size(); ++i) terms.push_back(words[i - 1] + ' ' + words[i]);
  return terms;
}

//! Accuracy on the test texts of Naive Bayes trained on the training texts (`labels` classes).
inline double naiveBayesAccuracy(const std::vector<std::string>& trainTexts,
                                 const std::vector<int>& trainTargets, std::size_t labels,
                                 const std::vector<std::string>& testTexts,
                                 const std::vector<int>& testTargets) {
  std::vector<std::unordered_map<std::string, double>> counts(labels);
  std::vector<double> totals(labels), documents(labels);
  std::unordered_map<std::string, int> vocabulary;
  for (std::size_t i = 0; i < trainTexts.size(); ++i) {
    documents[trainTargets[i]] += 1;
    for (const auto& term : unigramsAndBigrams(trainTexts[i])) {
      counts[trainTargets[i]][term] += 1;
      totals[trainTargets[i]] += 1;
      vocabulary.emplace(term, 0);
    }
  }
  std::size_t right = 0;
  for (std::size_t i = 0; i < testTexts.size(); ++i) {
    const auto terms = unigramsAndBigrams(testTexts[i]);
    int best = 0;
    double bestScore = -std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < labels; ++k) {
      double score = std::log(documents[k] / static_cast<double>(trainTexts.size()));
      const double denominator = totals[k] + static_cast<double>(vocabulary.size());
      for (const auto& term : terms) {
        if (!vocabulary.count(term)) continue;
        const auto it = counts[k].find(term);
        score += std::log(((it == counts[k].end() ? 0.0 : it->second) + 1.0) / denominator);
      }
      if (score > bestScore) bestScore = score, best = static_cast<int>(k);
    }
    right += best == testTargets[i];
  }
  return static_cast<double>(right) / static_cast<double>(testTexts.size());
}

}  // namespace shopdesk::testing
