#pragma once

#include <cstddef>
#include <vector>

namespace shopdesk::model {

//! Splits texts sorted by token count into forward passes of at most `maxRows`, choosing the cut points that
//! minimise the padded tokens plus `overheadTokens` per pass (a pass's fixed cost, in tokens). Returns the
//! end index of each pass. One long text then no longer pads a whole batch of short ones to its length.
std::vector<std::size_t> splitByLength(const std::vector<std::size_t>& sortedLengths, std::size_t maxRows,
                                       double overheadTokens);

//! Deals texts out to `workers` threads by token count, longest first, each to the worker with the fewest
//! tokens so far. Returns each worker's indices sorted by length. A single group when there is one worker or
//! one text, or when the longest text alone outweighs a worker's fair share: it then runs best on every
//! thread at once.
std::vector<std::vector<std::size_t>> shareByLength(const std::vector<std::size_t>& lengths,
                                                    std::size_t workers);

}  // namespace shopdesk::model
