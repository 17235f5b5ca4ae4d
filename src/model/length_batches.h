#pragma once

#include <cstddef>
#include <vector>

namespace shopdesk::model {

//! Splits texts sorted by token count into forward passes of at most `maxRows`, choosing the cut points that
//! minimise the padded tokens plus `overheadTokens` per pass (a pass's fixed cost, in tokens). Returns the
//! end index of each pass. One long text then no longer pads a whole batch of short ones to its length.
std::vector<std::size_t> splitByLength(const std::vector<std::size_t>& sortedLengths, std::size_t maxRows,
                                       double overheadTokens);

}  // namespace shopdesk::model
