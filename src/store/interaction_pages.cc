#include "store/interaction_pages.h"

#include <algorithm>

namespace shopdesk::store {

std::vector<Interaction> readNewestInteractions(Store& store, InteractionFilter filter, std::size_t limit,
                                                const std::function<void(std::size_t)>& afterPage,
                                                std::size_t pageSize) {
  pageSize = std::max<std::size_t>(pageSize, 1);  // a page of none would never reach the end
  filter.countTotal = false;
  filter.offset = 0;
  filter.beforeId.reset();
  std::vector<Interaction> out;
  while (out.size() < limit) {
    filter.limit = static_cast<std::int64_t>(std::min(pageSize, limit - out.size()));
    auto page = store.findInteractions(filter).items;
    const bool last = static_cast<std::int64_t>(page.size()) < filter.limit;
    if (!page.empty()) filter.beforeId = page.back().id;
    for (auto& i : page) out.push_back(std::move(i));
    if (last) break;
    if (afterPage) afterPage(out.size());
  }
  return out;
}

}  // namespace shopdesk::store
