#include "model/refit.h"

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <stdexcept>
#include <thread>

#include "model/ensemble_classifier.h"
#include "model/linear_classifier.h"
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
        NgramClassifier::train(texts, targets, model.labels(), options.ngram, stopAtTheChosenEpoch));
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
  // Fit f (< folds) leaves out the queries i with i % folds == f; fit `folds` keeps them all.
  const auto fitWithout = [&](std::size_t fold) {
    auto t = texts;
    auto y = targets;
    for (std::size_t i = 0; i < queries.size(); ++i) {
      if (i % folds == fold) continue;
      t.push_back(queries[i]);
      y.push_back(outOfScopeLabel);
    }
    return refit(model, t, y, options);
  };
  std::vector<std::shared_ptr<const Classifier>> fits(folds + 1);
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  for (std::size_t first = 0; first < fits.size(); first += cores) {
    const std::size_t end = std::min(fits.size(), first + cores);
    std::vector<std::future<std::shared_ptr<const Classifier>>> running;
    for (std::size_t f = first; f < end; ++f)
      running.push_back(std::async(std::launch::async, fitWithout, f));
    for (std::size_t f = first; f < end; ++f) fits[f] = running[f - first].get();
  }

  OutOfScopeRefit out{fits[folds], std::vector<std::vector<Ranked>>(queries.size())};
  for (std::size_t f = 0; f < folds; ++f) {
    std::vector<std::string> held;
    for (std::size_t i = f; i < queries.size(); i += folds) held.push_back(queries[i]);
    auto rankings = fits[f]->predict(held);
    for (std::size_t i = f, j = 0; i < queries.size(); i += folds, ++j)
      out.heldOutRankings[i] = std::move(rankings[j]);
  }
  return out;
}

}  // namespace shopdesk::model
