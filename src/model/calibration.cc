#include "model/calibration.h"

#include <algorithm>
#include <cmath>

namespace shopdesk::model {

double negativeLogLikelihood(const std::vector<std::vector<double>>& scores, const std::vector<int>& truth,
                             double temperature) {
  if (scores.empty()) return 0;
  double total = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const auto& s = scores[i];
    const double top = *std::max_element(s.begin(), s.end());
    double sum = 0;
    for (double v : s) sum += std::exp((v - top) / temperature);
    total += std::log(sum) - (s[static_cast<std::size_t>(truth[i])] - top) / temperature;
  }
  return total / static_cast<double>(scores.size());
}

double fitTemperature(const std::vector<std::vector<double>>& scores, const std::vector<int>& truth) {
  if (scores.empty()) return 1.0;
  // Golden-section search on log T: for fixed scores the likelihood is unimodal in the temperature.
  double lo = std::log(0.01);
  double hi = std::log(100.0);
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  double a = hi - ratio * (hi - lo);
  double b = lo + ratio * (hi - lo);
  double fa = negativeLogLikelihood(scores, truth, std::exp(a));
  double fb = negativeLogLikelihood(scores, truth, std::exp(b));
  for (int i = 0; i < 60; ++i) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = negativeLogLikelihood(scores, truth, std::exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = negativeLogLikelihood(scores, truth, std::exp(b));
    }
  }
  return std::exp((lo + hi) / 2);
}

std::vector<Ranked> rankBySoftmax(const std::vector<double>& scores, double temperature) {
  std::vector<Ranked> ranked(scores.size());
  if (scores.empty()) return ranked;
  const double top = *std::max_element(scores.begin(), scores.end());
  double sum = 0;
  std::vector<double> e(scores.size());
  for (std::size_t c = 0; c < scores.size(); ++c) sum += (e[c] = std::exp((scores[c] - top) / temperature));
  for (std::size_t c = 0; c < scores.size(); ++c)
    ranked[c] = {static_cast<int>(c), static_cast<float>(e[c] / sum)};
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    return a.probability > b.probability || (a.probability == b.probability && a.label < b.label);
  });
  return ranked;
}

}  // namespace shopdesk::model
