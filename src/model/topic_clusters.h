#pragma once

#include <cstdint>
#include <vector>

#include "model/tfidf_features.h"

namespace shopdesk::model {

//! How rows are linked before they are clustered.
struct ClusterOptions {
  int neighbors = 10;             //!< each row links to at most this many most similar rows
  double minSimilarity = 0.15;    //!< cosine below which two rows are not linked (docs/TOPICS.md)
  unsigned long iterations = 50;  //!< Chinese Whispers passes over the rows
  std::uint64_t seed = 42;
};

//! Groups L2-normalized sparse rows (feature indices in [0, `features`)) by what they say: each row is linked
//! to its most similar rows (exact cosine, through an inverted index), and the graph is clustered with dlib's
//! Chinese Whispers (Biemann 2006), which finds the number of groups itself, as topics of unknown number
//! need. Returns a label per row in [0, clusters), largest cluster first; a row linked to none is a cluster
//! of one. The same rows and seed give the same labels.
std::vector<int> clusterRows(const std::vector<SparseRow>& rows, std::int32_t features,
                             const ClusterOptions& options);

}  // namespace shopdesk::model
