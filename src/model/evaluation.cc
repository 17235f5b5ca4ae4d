#include "model/evaluation.h"

#include "model/policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace shopdesk::model {

namespace {

constexpr int kBins = 10;

int binOf(float confidence) { return std::clamp(static_cast<int>(confidence * kBins), 0, kBins - 1); }

}  // namespace

Evaluation evaluate(const std::vector<std::string>& labels, const std::vector<int>& truth,
                    const std::vector<int>& predicted, const std::vector<float>& confidence) {
  if (truth.size() != predicted.size() || truth.size() != confidence.size()) {
    throw std::invalid_argument("truth, predictions and confidences differ in length");
  }
  const auto k = static_cast<int>(labels.size());
  Evaluation e;
  e.labels = labels;
  e.examples = static_cast<std::int64_t>(truth.size());
  e.confusion.assign(labels.size(), std::vector<std::int64_t>(labels.size(), 0));
  e.confidenceRight.assign(kBins, 0);
  e.confidenceWrong.assign(kBins, 0);
  std::vector<double> binConfidence(kBins, 0.0);
  std::int64_t correct = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] < 0 || truth[i] >= k || predicted[i] < 0 || predicted[i] >= k) {
      throw std::invalid_argument("label index out of range");
    }
    ++e.confusion[static_cast<std::size_t>(truth[i])][static_cast<std::size_t>(predicted[i])];
    const bool right = truth[i] == predicted[i];
    correct += right;
    const int bin = binOf(confidence[i]);
    ++(right ? e.confidenceRight : e.confidenceWrong)[static_cast<std::size_t>(bin)];
    binConfidence[static_cast<std::size_t>(bin)] += confidence[i];
  }
  if (e.examples == 0) return e;
  e.accuracy = static_cast<double>(correct) / static_cast<double>(e.examples);

  for (int b = 0; b < kBins; ++b) {
    const auto right = e.confidenceRight[static_cast<std::size_t>(b)];
    const auto count = right + e.confidenceWrong[static_cast<std::size_t>(b)];
    if (count == 0) continue;
    const double gap = static_cast<double>(right) / static_cast<double>(count) -
                       binConfidence[static_cast<std::size_t>(b)] / static_cast<double>(count);
    e.expectedCalibrationError +=
        std::abs(gap) * static_cast<double>(count) / static_cast<double>(e.examples);
  }

  double f1Sum = 0;
  int present = 0;
  for (std::size_t c = 0; c < labels.size(); ++c) {
    CategoryMetrics m;
    m.name = labels[c];
    std::int64_t predictedAs = 0;
    for (std::size_t r = 0; r < labels.size(); ++r) {
      m.support += e.confusion[c][r];
      predictedAs += e.confusion[r][c];
      if (r != c && e.confusion[c][r] > m.confusedCount) {
        m.confusedCount = e.confusion[c][r];
        m.mostConfusedWith = labels[r];
      }
    }
    const auto tp = static_cast<double>(e.confusion[c][c]);
    m.precision = predictedAs ? tp / static_cast<double>(predictedAs) : 0.0;
    m.recall = m.support ? tp / static_cast<double>(m.support) : 0.0;
    m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0.0;
    // out_of_scope counts where it is the truth: predicted for an in-scope question, it has already cost that
    // question's category its recall.
    if (m.support > 0 || (predictedAs > 0 && m.name != kOutOfScopeLabel)) {
      f1Sum += m.f1;
      ++present;
    }
    e.categories.push_back(std::move(m));
  }
  e.macroF1 = present ? f1Sum / present : 0.0;
  return e;
}

Evaluation evaluateRankings(const std::vector<std::string>& labels,
                            const std::vector<std::vector<Ranked>>& rankings, const std::vector<int>& truth,
                            int outOfScopeLabel) {
  std::vector<int> predicted;
  std::vector<float> confidence;
  for (const auto& ranking : rankings) {
    const auto r = categoryRanking(ranking, outOfScopeLabel);  // all of it without the label
    predicted.push_back(r.empty() ? outOfScopeLabel : r.front().label);
    confidence.push_back(r.empty() ? 0.0f : r.front().probability);
  }
  return evaluate(labels, truth, predicted, confidence);
}

nlohmann::json Evaluation::toJson() const {
  nlohmann::json categoriesJson = nlohmann::json::array();
  for (const auto& m : categories) {
    categoriesJson.push_back(
        {{"name", m.name},
         {"precision", m.precision},
         {"recall", m.recall},
         {"f1", m.f1},
         {"support", m.support},
         {"most_confused_with", m.mostConfusedWith ? nlohmann::json(*m.mostConfusedWith) : nullptr},
         {"confused_count", m.confusedCount}});
  }
  return {
      {"examples", examples},
      {"accuracy", accuracy},
      {"macro_f1", macroF1},
      {"expected_calibration_error", expectedCalibrationError},
      {"labels", labels},
      {"categories", categoriesJson},
      {"confusion_matrix", confusion},
      {"confidence_histogram", {{"bins", kBins}, {"right", confidenceRight}, {"wrong", confidenceWrong}}}};
}

std::string Evaluation::summary() const {
  std::string out = fmt::format("{} examples  accuracy {:.2f}%  macro-F1 {:.2f}%  ECE {:.3f}\n", examples,
                                accuracy * 100, macroF1 * 100, expectedCalibrationError);
  out += fmt::format("{:<26} {:>9} {:>7} {:>7} {:>8}  {}\n", "category", "precision", "recall", "F1",
                     "support", "most confused with");
  for (const auto& m : categories) {
    out += fmt::format(
        "{:<26} {:>9.3f} {:>7.3f} {:>7.3f} {:>8}  {}\n", m.name, m.precision, m.recall, m.f1, m.support,
        m.mostConfusedWith ? fmt::format("{} ({})", *m.mostConfusedWith, m.confusedCount) : "-");
  }
  return out;
}

}  // namespace shopdesk::model
