#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/topic_clusters.h"
#include "service/analysis_jobs.h"
#include "store/store.h"

namespace shopdesk::service {

//! A group of unanswered questions that say the same thing.
struct Topic {
  std::vector<std::int64_t> interactionIds;  //!< every question in it, newest first
  std::vector<std::string> questions;        //!< 3 to 5 that stand for it, the most typical first
  std::vector<std::string> keywords;         //!< words and word pairs that set it apart, the strongest first
  std::optional<std::string> closest;        //!< the category whose training examples are most alike
  double similarity = 0;                     //!< cosine of the topic to `closest`
  bool isNew = false;                        //!< no category is close: a candidate for a new one
};

//! The topics of a period.
struct TopicReport {
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::size_t questions = 0;  //!< unanswered questions grouped (also those in no topic)
  double seconds = 0;
  std::vector<Topic> topics;  //!< largest first

  //! As the API and `shopdesk topics --json` give it.
  nlohmann::json toJson() const;
};

//! What customers ask that the store has no answer for: the period's hand-offs, low-confidence answers and
//! answers rated unhelpful or corrected that no agent has reviewed yet, grouped by what they say. Questions
//! are words and word pairs (stop words out, lemmatized, order numbers and the like as their kind) weighted
//! by TF-IDF, and grouped with model::clusterRows (dlib's Chinese Whispers on the cosine neighbour graph).
class TopicDiscovery {
 public:
  struct Options {
    double lowConfidence = 0.5;        //!< answers below it count as unsure (the review queue's)
    std::size_t minTopicSize = 3;      //!< smaller groups are not topics
    std::size_t maxQuestions = 20000;  //!< the most recent this many of a period are grouped
    //! A topic less similar than this to every category is new (docs/TOPICS.md)…
    double newBelow = 0.22;
    //! …and so is one less similar than this whose answers scatter: fewer than `answeredAsOne` of its
    //! questions were answered as any one category.
    double newIfScatteredBelow = 0.28;
    double answeredAsOne = 0.5;
  };

  TopicDiscovery(store::Store& store, Options options, model::ClusterOptions clustering = {})
      : store_(store), options_(options), clusterOptions_(clustering) {}

  //! The topics of the questions asked in [from, to) (Unix ms).
  TopicReport discover(std::int64_t from, std::int64_t to, const AnalysisProgress& progress = {});

  //! Files unreviewed interactions `ids` under `category` as an agent's relabel would (each becomes a
  //! training example, source "review", and leaves the review queue). Returns how many were assigned and how
  //! many skipped (reviewed already, erased, unknown); throws store::NotFoundError for an unknown category.
  std::pair<std::int64_t, std::int64_t> assign(const std::string& category,
                                               const std::vector<std::int64_t>& ids);

 private:
  // Groups `asked` (newest first); the categories are told by `examples`, small talk left out.
  TopicReport group(const std::vector<store::Interaction>& asked,
                    const std::vector<store::TrainingExample>& examples,
                    const std::set<std::string>& smallTalk) const;

  store::Store& store_;
  Options options_;
  model::ClusterOptions clusterOptions_;
};

}  // namespace shopdesk::service
