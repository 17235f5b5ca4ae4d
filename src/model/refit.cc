#include "model/refit.h"

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <stdexcept>
#include <thread>

#include "model/ensemble_classifier.h"
#include "model/errors.h"
#include "model/linear_classifier.h"
#include "model/torch_module.h"
#include "model/trainer.h"

namespace shopdesk::model {

std::shared_ptr<const Classifier> refit(const Classifier& model, const std::vector<std::string>& texts,
                                        const std::vector<int>& targets, const RefitOptions& options) {
  if (options.cancel && options.cancel->load()) throw TrainingCancelled();
  if (const auto* linear = dynamic_cast<const LinearClassifier*>(&model))
    return std::make_shared<LinearClassifier>(linear->refit(texts, targets));
  if (dynamic_cast<const NgramClassifier*>(&model)) {
    const auto stopAtTheChosenEpoch = [&](const EpochProgress& p, const Classifier&) {
      if (options.cancel && options.cancel->load()) throw TrainingCancelled();
      return EpochVerdict{p.epoch == options.ngramEpochs, p.epoch < options.ngramEpochs};
    };
    return std::make_shared<NgramClassifier>(
        torchModule().trainNgram(texts, targets, model.labels(), options.ngram, stopAtTheChosenEpoch));
  }
  if (const auto* ensemble = dynamic_cast<const EnsembleClassifier*>(&model)) {
    std::vector<std::shared_ptr<const Classifier>> members;
    for (const auto& m : ensemble->members())
      members.push_back(refit(*m.classifier, texts, targets, options));
    return std::make_shared<EnsembleClassifier>(ensemble->withMembers(std::move(members)));
  }
  throw std::invalid_argument(fmt::format("a {} model is not trained again", model.kind()));
}

OutOfScopeRefit refitWithOutOfScope(const Classifier& model, const std::vector<std::string>& texts,
                                    const std::vector<int>& targets, const std::vector<std::string>& queries,
                                    int outOfScopeLabel, std::size_t folds, const RefitOptions& options) {
  if (folds < 2 || folds > queries.size())
    throw std::invalid_argument(
        fmt::format("{} folds of {} out-of-scope queries: need 2 to one per query", folds, queries.size()));
  // Fit f (< folds) learns every query but those with i % folds == f, ranks those and is let go (an n-gram
  // model holds 64 MB); fit `folds` learns them all and ships. The fits write disjoint rankings.
  OutOfScopeRefit out{nullptr, std::vector<std::vector<Ranked>>(queries.size())};
  const auto fit = [&](std::size_t fold) {
    auto t = texts;
    auto y = targets;
    for (std::size_t i = 0; i < queries.size(); ++i) {
      if (i % folds == fold) continue;
      t.push_back(queries[i]);
      y.push_back(outOfScopeLabel);
    }
    auto fitted = refit(model, t, y, options);
    if (fold == folds) {
      out.model = std::move(fitted);
      return;
    }
    std::vector<std::string> held;
    for (std::size_t i = fold; i < queries.size(); i += folds) held.push_back(queries[i]);
    auto rankings = fitted->predict(held);
    for (std::size_t i = fold, j = 0; i < queries.size(); i += folds, ++j)
      out.heldOutRankings[i] = std::move(rankings[j]);
  };
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  for (std::size_t first = 0; first <= folds; first += cores) {
    std::vector<std::future<void>> running;
    for (std::size_t f = first; f <= std::min(folds, first + cores - 1); ++f)
      running.push_back(std::async(std::launch::async, fit, f));
    for (auto& r : running) r.get();
  }
  return out;
}

}  // namespace shopdesk::model
