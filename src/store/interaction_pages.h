#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "store/store.h"

namespace shopdesk::store {

//! Reads up to `limit` interactions matching `filter`, newest first, `pageSize` at a time. Each page is a
//! statement of its own, so a long read never holds the store (nor, on SQLite, a snapshot that keeps the
//! write-ahead log from being checkpointed) for longer than one page. `afterPage(rowsRead)` runs between
//! pages: progress and pacing. `filter.beforeId`, `limit`, `offset` and `countTotal` are the reader's own.
std::vector<Interaction> readNewestInteractions(Store& store, InteractionFilter filter, std::size_t limit,
                                                const std::function<void(std::size_t)>& afterPage = {},
                                                std::size_t pageSize = 500);

}  // namespace shopdesk::store
