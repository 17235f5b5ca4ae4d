#include "service/topic_discovery.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "common/low_priority.h"
#include "common/pacer.h"
#include "model/topic_clusters.h"
#include "store/interaction_pages.h"
#include "text/entity_extractor.h"
#include "text/normalizer.h"
#include "text/word_tokenizer.h"

namespace shopdesk::service {

namespace {

// Words and adjacent word pairs of a question, as topics are told apart: stop words out ("is", "my"),
// lemmatized ("wrapping" → "wrap"), an order number or email as its kind (xxordernumberxx).
std::vector<std::string> terms(const std::string& query) {
  static const text::EntityExtractor extractor;
  static const text::Normalizer normalizer;
  static const text::WordTokenizer tokenizer({false, true, false});
  std::string normalized;
  try {
    normalized = normalizer.normalize(text::EntityExtractor::mask(query, extractor.extract(query, {})));
  } catch (const std::invalid_argument&) {  // not UTF-8: nothing stored is, but a row written by hand may be
    return {};
  }
  auto words = tokenizer.tokenize(normalized);
  std::vector<std::string> out = words;
  for (std::size_t i = 1; i < words.size(); ++i) out.push_back(words[i - 1] + " " + words[i]);
  return out;
}

bool isMask(const std::string& term) { return term.starts_with("xx") && term.ends_with("xx"); }

// TF-IDF over the terms of the grouped questions (sublinear tf, smoothed idf, rows of length 1).
class TermSpace {
 public:
  explicit TermSpace(const std::vector<std::vector<std::string>>& documents) {
    for (const auto& document : documents) {
      for (const auto& term : std::set<std::string>(document.begin(), document.end())) {
        const auto [it, added] = ids_.try_emplace(term, static_cast<std::int32_t>(names_.size()));
        if (added) {
          names_.push_back(term);
          df_.push_back(0);
        }
        ++df_[static_cast<std::size_t>(it->second)];
      }
    }
    for (const auto df : df_) idf_.push_back(std::log((1.0 + documents.size()) / (1.0 + df)) + 1.0);
  }

  //! The row of `document`; terms the questions never used are left out.
  model::SparseRow row(const std::vector<std::string>& document) const {
    std::map<std::int32_t, int> counts;
    for (const auto& term : document) {
      if (const auto it = ids_.find(term); it != ids_.end()) ++counts[it->second];
    }
    model::SparseRow out;
    double norm = 0;
    for (const auto& [id, count] : counts) {
      const auto weight = (1.0 + std::log(count)) * idf_[static_cast<std::size_t>(id)];
      out.indices.push_back(id);
      out.values.push_back(static_cast<float>(weight));
      norm += weight * weight;
    }
    for (auto& v : out.values) v = static_cast<float>(v / std::sqrt(norm));
    return out;
  }

  std::int32_t size() const { return static_cast<std::int32_t>(names_.size()); }
  const std::string& name(std::int32_t id) const { return names_[static_cast<std::size_t>(id)]; }
  double idf(std::int32_t id) const { return idf_[static_cast<std::size_t>(id)]; }

 private:
  std::unordered_map<std::string, std::int32_t> ids_;
  std::vector<std::string> names_;
  std::vector<int> df_;
  std::vector<double> idf_;
};

// The normalized sum of rows: the direction a group of questions points in.
model::SparseRow centroid(const std::vector<const model::SparseRow*>& rows) {
  std::map<std::int32_t, double> sum;
  for (const auto* row : rows) {
    for (std::size_t k = 0; k < row->indices.size(); ++k) sum[row->indices[k]] += row->values[k];
  }
  double norm = 0;
  for (const auto& [id, v] : sum) norm += v * v;
  model::SparseRow out;
  for (const auto& [id, v] : sum) {
    out.indices.push_back(id);
    out.values.push_back(static_cast<float>(v / std::sqrt(norm)));
  }
  return out;
}

model::SparseRow unit(model::SparseRow row) {
  double norm = 0;
  for (const auto v : row.values) norm += static_cast<double>(v) * v;
  for (auto& v : row.values) v = static_cast<float>(v / std::sqrt(norm));
  return row;
}

double dot(const model::SparseRow& a, const model::SparseRow& b) {
  double out = 0;
  for (std::size_t i = 0, j = 0; i < a.indices.size() && j < b.indices.size();) {
    if (a.indices[i] < b.indices[j]) {
      ++i;
    } else if (a.indices[i] > b.indices[j]) {
      ++j;
    } else {
      out += static_cast<double>(a.values[i++]) * b.values[j++];
    }
  }
  return out;
}

// The terms most of the topic's questions use and few others do: the share of its questions holding the term
// times the term's idf over all grouped questions (class-based TF-IDF). A word inside a chosen pair is not
// repeated alone.
std::vector<std::string> keywords(const TermSpace& space, const std::vector<const model::SparseRow*>& rows) {
  std::map<std::int32_t, int> holding;
  for (const auto* row : rows) {
    for (const auto id : row->indices) ++holding[id];
  }
  std::vector<std::pair<double, std::int32_t>> scored;
  for (const auto& [id, count] : holding) {
    const double share = static_cast<double>(count) / static_cast<double>(rows.size());
    if (share >= 0.25 && !isMask(space.name(id))) scored.emplace_back(share * space.idf(id), id);
  }
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::string> out;
  for (const auto& [score, id] : scored) {
    const auto& term = space.name(id);
    const bool inside = std::any_of(out.begin(), out.end(), [&](const std::string& chosen) {
      return chosen.find(' ') != std::string::npos &&
             (chosen.starts_with(term + " ") || chosen.ends_with(" " + term));
    });
    if (!inside) out.push_back(term);
    if (out.size() == 5) break;
  }
  return out;
}

}  // namespace

nlohmann::json TopicReport::toJson() const {
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t i = 0; i < topics.size(); ++i) {
    const auto& t = topics[i];
    list.push_back(
        {{"id", i},
         {"size", t.interactionIds.size()},
         {"keywords", t.keywords},
         {"questions", t.questions},
         {"interaction_ids", t.interactionIds},
         {"closest", t.closest ? nlohmann::json{{"category", *t.closest}, {"similarity", t.similarity}}
                               : nlohmann::json(nullptr)},
         {"new", t.isNew}});
  }
  return {{"from", from}, {"to", to}, {"questions", questions}, {"seconds", seconds}, {"topics", list}};
}

TopicReport TopicDiscovery::group(const std::vector<store::Interaction>& asked,
                                  const std::vector<store::TrainingExample>& examples,
                                  const std::set<std::string>& smallTalk) const {
  std::vector<std::vector<std::string>> documents;
  for (const auto& i : asked) {
    common::pace();
    documents.push_back(terms(i.query));
  }
  const TermSpace space(documents);
  std::vector<model::SparseRow> rows;
  for (const auto& document : documents) rows.push_back(space.row(document));
  // What questions are alike by: the linear model's features (words, word pairs and character n-grams, so
  // "unsubscribe" meets "subscription"), weighted by how rare they are in the store's own language: these
  // questions and the training examples (measured better than these questions alone, whose idf a few hundred
  // texts make noisy: docs/TOPICS.md).
  std::vector<std::string> texts;
  for (const auto& i : asked) texts.push_back(i.query);
  auto corpus = texts;
  for (const auto& e : examples) corpus.push_back(e.text);
  const auto featurizer = model::TfidfFeaturizer::fit(corpus, {});
  std::vector<model::SparseRow> features;
  for (const auto& text : texts) {
    common::pace();
    features.push_back(unit(featurizer.transform(text)));
  }

  TopicReport report;
  report.questions = asked.size();
  const auto labels = model::clusterRows(features, featurizer.size(), clusterOptions_);

  // The categories as their training examples say them, in the same features, indexed by feature.
  std::vector<std::string> exampleLabels;
  std::set<std::string> categories;  // small talk too: a topic the model answers as small talk is covered
  std::vector<std::vector<std::pair<std::uint32_t, float>>> postings(
      static_cast<std::size_t>(featurizer.size()));
  {
    for (const auto& e : examples) {
      if (e.label != "out_of_scope") categories.insert(e.label);
      if (smallTalk.contains(e.label) || e.label == "out_of_scope") continue;
      common::pace();
      const auto row = unit(featurizer.transform(e.text));
      const auto id = static_cast<std::uint32_t>(exampleLabels.size());
      for (std::size_t k = 0; k < row.indices.size(); ++k)
        postings[static_cast<std::size_t>(row.indices[k])].emplace_back(id, row.values[k]);
      exampleLabels.push_back(e.label);
    }
  }
  // A question's similarity to each category: that of the category's most similar training example. A topic
  // some category covers has near-copies among its examples; a new one has none.
  const auto nearest = [&](const model::SparseRow& row) {
    std::unordered_map<std::uint32_t, float> dots;
    for (std::size_t k = 0; k < row.indices.size(); ++k) {
      for (const auto& [example, value] : postings[static_cast<std::size_t>(row.indices[k])])
        dots[example] += row.values[k] * value;
    }
    std::map<std::string, double> best;
    for (const auto& [example, similarity] : dots) {
      auto& b = best[exampleLabels[example]];
      b = std::max(b, static_cast<double>(similarity));
    }
    return best;
  };

  const int clusters = labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1;
  std::vector<std::vector<std::size_t>> members(static_cast<std::size_t>(clusters));
  for (std::size_t r = 0; r < labels.size(); ++r) {
    if (!features[r].indices.empty()) members[static_cast<std::size_t>(labels[r])].push_back(r);
  }
  for (const auto& group : members) {
    if (group.size() < options_.minTopicSize) continue;
    common::pace();
    std::vector<const model::SparseRow*> groupRows, groupFeatures;
    for (const auto r : group) {
      groupRows.push_back(&rows[r]);
      groupFeatures.push_back(&features[r]);
    }
    const auto middle = centroid(groupFeatures);
    Topic topic;
    for (const auto r : group) topic.interactionIds.push_back(asked[r].id);
    // The most typical questions, each worded differently.
    auto byTypicality = group;
    std::stable_sort(byTypicality.begin(), byTypicality.end(), [&](std::size_t a, std::size_t b) {
      return dot(rows[a], middle) > dot(rows[b], middle);
    });
    std::set<std::vector<std::string>> seen;
    for (const auto r : byTypicality) {
      if (seen.insert(documents[r]).second) topic.questions.push_back(asked[r].query);
      if (topic.questions.size() == 5) break;
    }
    topic.keywords = keywords(space, groupRows);
    std::map<std::string, double> byCategory;
    for (std::size_t i = 0; i < topic.questions.size(); ++i) {
      for (const auto& [name, similarity] : nearest(features[byTypicality[i]]))
        byCategory[name] += similarity;
    }
    for (const auto& [name, sum] : byCategory) {
      const double similarity = sum / static_cast<double>(topic.questions.size());
      if (!topic.closest || similarity > topic.similarity) {
        topic.closest = name;
        topic.similarity = similarity;
      }
    }
    // What the model answered, unsure as it was: a topic it answered mostly as one category is that
    // category's, in words its examples lack; one whose answers scatter is more likely something new.
    std::map<std::string, std::size_t> answered;
    std::size_t mostAnswered = 0;
    for (const auto r : group) {
      if (categories.contains(asked[r].category))
        mostAnswered = std::max(mostAnswered, ++answered[asked[r].category]);
    }
    const bool answeredAsOne =
        static_cast<double>(mostAnswered) >= options_.answeredAsOne * static_cast<double>(group.size());
    topic.isNew = topic.similarity < options_.newBelow ||
                  (!answeredAsOne && topic.similarity < options_.newIfScatteredBelow);
    report.topics.push_back(std::move(topic));
  }
  return report;
}

TopicReport TopicDiscovery::discover(std::int64_t from, std::int64_t to, const AnalysisProgress& progress) {
  const auto started = std::chrono::steady_clock::now();
  const auto report = [&](int percent, const char* stage) {
    if (progress) progress(percent, stage);
  };
  store::InteractionFilter filter;
  filter.needsReview = true;
  filter.lowConfidence = options_.lowConfidence;
  filter.from = from;
  filter.to = to;
  // The reads run at the caller's priority, page by page: a thread starved while it holds the store would
  // hold up the answers being written. Until the pool is read, its size is unknown: the progress counts
  // towards the most questions grouped.
  std::vector<store::Interaction> asked;
  for (auto& i : store::readNewestInteractions(store_, filter, options_.maxQuestions, [&](std::size_t read) {
         report(static_cast<int>(40 * read / std::max<std::size_t>(options_.maxQuestions, 1)), "reading");
         common::pace();
       })) {
    if (!i.erasedAt && !i.query.empty()) asked.push_back(std::move(i));
  }
  const auto examples = store_.trainingExamples();
  std::set<std::string> smallTalk;
  for (const auto& c : store_.categories()) {
    if (c.smallTalk) smallTalk.insert(c.name);
  }
  // The grouping takes seconds of CPU and nothing else.
  report(40, "grouping");
  auto out = common::atLowPriority([&] { return group(asked, examples, smallTalk); });
  out.from = from;
  out.to = to;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

std::pair<std::int64_t, std::int64_t> TopicDiscovery::assign(const std::string& category,
                                                             const std::vector<std::int64_t>& ids) {
  const auto all = store_.categories();
  if (std::none_of(all.begin(), all.end(), [&](const store::Category& c) { return c.name == category; }))
    throw store::NotFoundError(fmt::format("no category '{}'", category));
  std::int64_t assigned = 0;
  for (const auto id : ids) {
    const auto interaction = store_.interaction(id);
    if (!interaction || interaction->erasedAt || interaction->review) continue;
    try {
      store_.reviewInteraction(id, store::ReviewAction::kRelabel, category);
      ++assigned;
    } catch (const store::ConflictError&) {  // an agent reviewed it in the meantime
    }
  }
  return {assigned, static_cast<std::int64_t>(ids.size()) - assigned};
}

}  // namespace shopdesk::service
