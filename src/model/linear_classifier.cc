#include "model/linear_classifier.h"

#include <fmt/format.h>
#include <linear.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <numeric>
#include <stdexcept>
#include <thread>

#include "model/calibration.h"

// LIBLINEAR's dual solvers shuffle with rand(), whose state glibc shares between threads: two trainings at
// once would interleave their draws and give different models from the same data. These take the place of
// libc's for the whole process (the executable's definitions come first, and the linker exports them because
// liblinear.so uses them), with one state per thread: each C is trained on its own thread, seeded, and comes
// out the same whichever thread runs it. The numbers are a 64-bit LCG's top 31 bits (RAND_MAX as glibc's).
namespace {
thread_local std::uint64_t randomState = 1;
}  // namespace
extern "C" int rand() noexcept {
  randomState = randomState * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<int>(randomState >> 33);
}
extern "C" void srand(unsigned seed) noexcept { randomState = seed; }

namespace shopdesk::model {

namespace {

void quiet(const char*) {}

int solverType(const std::string& solver) {
  if (solver == "svm") return L2R_L2LOSS_SVC_DUAL;
  if (solver == "logistic") return L2R_LR;
  throw std::invalid_argument(fmt::format("unknown linear solver '{}' (svm or logistic)", solver));
}

// Rows in LIBLINEAR's form: 1-based indices, a bias feature last, terminated by index -1. No targets: each
// binary problem solved on these rows brings its own.
class Problem {
 public:
  Problem(const std::vector<SparseRow>& rows, std::int32_t features) {
    nodes_.reserve(rows.size() * 2 +
                   std::accumulate(rows.begin(), rows.end(), std::size_t{0},
                                   [](std::size_t n, const SparseRow& r) { return n + r.indices.size(); }));
    std::vector<std::size_t> starts;
    for (const auto& row : rows) {
      starts.push_back(nodes_.size());
      for (std::size_t i = 0; i < row.indices.size(); ++i)
        nodes_.push_back({row.indices[i] + 1, row.values[i]});
      nodes_.push_back({features + 1, 1.0});  // the bias
      nodes_.push_back({-1, 0.0});
    }
    for (auto start : starts) x_.push_back(nodes_.data() + start);
    problem_.l = static_cast<int>(rows.size());
    problem_.n = features + 1;
    problem_.x = x_.data();
    problem_.bias = 1.0;
  }
  const problem* get() const { return &problem_; }

 private:
  std::vector<feature_node> nodes_;
  std::vector<feature_node*> x_;
  problem problem_{};
};

struct ModelDeleter {
  void operator()(::model* m) const { free_and_destroy_model(&m); }
};

}  // namespace

LinearClassifier::LinearClassifier(const Options& options, std::vector<std::string> labels)
    : options_(options), labels_(std::move(labels)) {}

LinearClassifier LinearClassifier::train(const std::vector<std::string>& texts,
                                         const std::vector<int>& targets, std::vector<std::string> labels,
                                         const Options& options,
                                         const std::vector<std::string>& validationTexts,
                                         const std::vector<int>& validationTargets) {
  if (texts.empty() || texts.size() != targets.size() || validationTexts.size() != validationTargets.size())
    throw std::invalid_argument("training needs as many labels as texts, and at least one text");
  if (labels.size() < 2) throw std::invalid_argument("training needs at least two categories");
  if (options.costs.empty() ||
      std::any_of(options.costs.begin(), options.costs.end(), [](double c) { return !(c > 0); }))
    throw std::invalid_argument("linear costs (C) must be positive, and at least one given");
  for (int t : targets) {
    if (t < 0 || t >= static_cast<int>(labels.size()))
      throw std::invalid_argument("label index out of range");
  }
  const int solver = solverType(options.solver);

  LinearClassifier best(options, std::move(labels));
  if (!(options.unknownWordsWeight >= 0))
    throw std::invalid_argument("unknown_words_weight must not be negative");
  best.featurizer_ = TfidfFeaturizer::fit(texts, options.features);
  if (options.unknownWordsWeight > 0) best.unknownWords_ = UnknownWords::fit(texts, options.features.terms);
  std::vector<SparseRow> rows;
  rows.reserve(texts.size());
  for (const auto& text : texts) rows.push_back(best.features(text, true));
  const Problem problem(rows, best.inputs());
  const auto features = static_cast<std::size_t>(best.inputs());
  const auto k = best.labels_.size();

  // LIBLINEAR's one-vs-rest, one binary problem per (C, label), spread over the cores. Whole runs per C, two
  // at a time, left a core idle while the last C ran alone, and held every C's model in doubles at once. A
  // problem's shuffle is seeded by its label, so whichever thread solves it gives the same weights.
  const std::size_t runs = validationTexts.empty() ? 1 : options.costs.size();
  std::vector<parameter> parameters(runs);
  for (std::size_t i = 0; i < runs; ++i) {
    parameters[i].solver_type = solver;
    parameters[i].eps = options.tolerance;
    parameters[i].C = options.costs[i];
    if (const char* error = check_parameter(problem.get(), &parameters[i]))
      throw std::invalid_argument(fmt::format("LIBLINEAR refused the parameters: {}", error));
  }
  static std::once_flag silenced;
  std::call_once(silenced, [] { set_print_string_function(quiet); });
  std::vector<bool> present(k, false);
  for (int t : targets) present[static_cast<std::size_t>(t)] = true;
  std::vector<LinearClassifier> candidates(runs, LinearClassifier(options, best.labels_));
  for (std::size_t m = 0; m < runs; ++m) {
    candidates[m].cost_ = options.costs[m];
    candidates[m].weights_.assign(features * k, 0.0f);
    candidates[m].bias_.assign(k, -1e3f);  // a label missing from training must never win
  }
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    std::vector<double> y(targets.size());
    for (std::size_t job; (job = next++) < runs * k;) {
      const auto m = job / k, c = job % k;
      if (!present[c]) continue;
      for (std::size_t i = 0; i < y.size(); ++i) y[i] = targets[i] == static_cast<int>(c) ? 1 : -1;
      auto binary = *problem.get();
      binary.y = y.data();
      std::srand(static_cast<unsigned>(c) + 1);
      const std::unique_ptr<::model, ModelDeleter> trained(::train(&binary, &parameters[m]));
      // The weights are the positive label's: LIBLINEAR numbers labels in the order they first occur.
      int order[2] = {1, -1};
      get_labels(trained.get(), order);
      const int positive = order[0] == 1 ? 0 : 1;
      auto& candidate = candidates[m];
      for (std::size_t f = 0; f < features; ++f) {
        candidate.weights_[f * k + c] =
            static_cast<float>(get_decfun_coef(trained.get(), static_cast<int>(f + 1), positive));
      }
      candidate.bias_[c] = static_cast<float>(get_decfun_bias(trained.get(), positive));
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < std::max(1u, std::thread::hardware_concurrency()); ++t) workers.emplace_back(work);
  work();
  for (auto& w : workers) w.join();

  double bestAccuracy = -1;
  for (auto& candidate : candidates) {
    candidate.featurizer_ = best.featurizer_;
    candidate.unknownWords_ = best.unknownWords_;
    if (validationTexts.empty()) {
      best = std::move(candidate);
      continue;
    }
    std::size_t right = 0;
    for (std::size_t i = 0; i < validationTexts.size(); ++i) {
      const auto s = candidate.scores(validationTexts[i]);
      right += static_cast<int>(std::max_element(s.begin(), s.end()) - s.begin()) == validationTargets[i];
    }
    const double accuracy = static_cast<double>(right) / static_cast<double>(validationTexts.size());
    if (accuracy > bestAccuracy) {
      bestAccuracy = accuracy;
      best = std::move(candidate);
    }
  }
  std::vector<std::vector<double>> validationScores;
  for (const auto& text : validationTexts) {
    const auto s = best.scores(text);
    validationScores.emplace_back(s.begin(), s.end());
  }
  best.temperature_ = fitTemperature(validationScores, validationTargets);
  return best;
}

LinearClassifier LinearClassifier::refit(const std::vector<std::string>& texts,
                                         const std::vector<int>& targets) const {
  auto options = options_;
  options.costs = {cost_};
  auto model = train(texts, targets, labels_, options);
  model.temperature_ = temperature_;
  return model;
}

SparseRow LinearClassifier::features(std::string_view text, bool training) const {
  auto row = featurizer_.transform(text);
  if (options_.unknownWordsWeight > 0) {
    const double share = training ? unknownWords_.shareLeftOut(text) : unknownWords_.share(text);
    if (share > 0) {  // after every TF-IDF feature, so the indices stay ascending
      row.indices.push_back(featurizer_.size());
      row.values.push_back(static_cast<float>(options_.unknownWordsWeight * share));
    }
  }
  return row;
}

std::int32_t LinearClassifier::inputs() const {
  return featurizer_.size() + (options_.unknownWordsWeight > 0 ? 1 : 0);
}

std::vector<float> LinearClassifier::scores(std::string_view text) const {
  const auto k = labels_.size();
  std::vector<float> out(bias_);
  const auto row = features(text, false);
  for (std::size_t i = 0; i < row.indices.size(); ++i) {
    const float* w = weights_.data() + static_cast<std::size_t>(row.indices[i]) * k;
    const float v = row.values[i];
    for (std::size_t c = 0; c < k; ++c) out[c] += v * w[c];
  }
  return out;
}

std::vector<std::vector<Ranked>> LinearClassifier::predict(const std::vector<std::string>& texts) const {
  std::vector<std::vector<Ranked>> out;
  out.reserve(texts.size());
  for (const auto& text : texts) {
    const auto s = scores(text);
    out.push_back(rankBySoftmax({s.begin(), s.end()}, temperature_));
  }
  return out;
}

nlohmann::json LinearClassifier::Options::toJson() const {
  return {{"features", features.toJson()},
          {"solver", solver},
          {"costs", costs},
          {"tolerance", tolerance},
          {"unknown_words_weight", unknownWordsWeight}};
}

LinearClassifier::Options LinearClassifier::Options::fromJson(const nlohmann::json& json) {
  Options o;
  o.features = TfidfFeaturizer::Options::fromJson(json.at("features"));
  o.solver = json.at("solver").get<std::string>();
  o.costs = json.at("costs").get<std::vector<double>>();
  o.tolerance = json.at("tolerance").get<double>();
  o.unknownWordsWeight = json.value("unknown_words_weight", 0.0);
  return o;
}

nlohmann::json LinearClassifier::save(const std::filesystem::path& dir) const {
  TensorMap tensors;
  featurizer_.addTensors(tensors, "tfidf.");
  if (options_.unknownWordsWeight > 0) unknownWords_.addTensors(tensors, "unknown.");
  const auto k = static_cast<std::int64_t>(labels_.size());
  tensors.emplace("linear.weight", floatTensor({inputs(), k}, weights_));
  tensors.emplace("linear.bias", floatTensor({k}, bias_));
  writeSafetensors(dir / "model.safetensors", tensors);
  auto settings = options_.toJson();
  settings["cost"] = cost_;
  settings["temperature"] = temperature_;
  return settings;
}

LinearClassifier LinearClassifier::load(const std::filesystem::path& dir, const nlohmann::json& settings,
                                        std::vector<std::string> labels) {
  const auto file = (dir / "model.safetensors").string();
  Options options;
  double cost = 0, temperature = 0;
  try {
    options = Options::fromJson(settings);
    cost = settings.at("cost").get<double>();
    temperature = settings.at("temperature").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw ArtifactError(std::string("linear settings in model.json: ") + e.what());
  }
  if (!(temperature > 0)) throw ArtifactError("linear settings in model.json: temperature must be positive");
  LinearClassifier model(options, std::move(labels));
  model.cost_ = cost;
  model.temperature_ = temperature;
  auto tensors = readSafetensors(file);
  model.featurizer_ = TfidfFeaturizer::fromTensors(tensors, "tfidf.", options.features, file);
  if (options.unknownWordsWeight > 0)
    model.unknownWords_ = UnknownWords::fromTensors(tensors, "unknown.", options.features.terms, file);
  const auto k = static_cast<std::int64_t>(model.labels_.size());
  const auto take = [&](const std::string& name, std::vector<std::int64_t> shape) {
    const auto tensor = takeTensor(tensors, name, file);
    try {
      return tensor.toFloats(name, shape);
    } catch (const ArtifactError& e) {
      throw ArtifactError(fmt::format("{}: {}", file, e.what()));
    }
  };
  model.weights_ = take("linear.weight", {model.inputs(), k});
  model.bias_ = take("linear.bias", {k});
  if (!tensors.empty())
    throw ArtifactError(fmt::format("{}: unexpected tensor '{}'", file, tensors.begin()->first));
  return model;
}

}  // namespace shopdesk::model
