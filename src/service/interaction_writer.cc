#include "service/interaction_writer.h"

#include <vector>

namespace shopdesk::service {

InteractionWriter::InteractionWriter(store::Store& store, std::size_t maxBatch)
    : store_(store), maxBatch_(maxBatch), thread_([this] { run(); }) {}

InteractionWriter::~InteractionWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  thread_.join();
}

std::int64_t InteractionWriter::write(store::Interaction interaction) {
  std::future<std::int64_t> id;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(interaction), {}});
    id = queue_.back().id.get_future();
  }
  ready_.notify_one();
  return id.get();
}

void InteractionWriter::run() {
  for (;;) {
    std::vector<Pending> batch;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is written
      while (!queue_.empty() && batch.size() < maxBatch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<store::Interaction> rows;
    rows.reserve(batch.size());
    for (auto& p : batch) rows.push_back(std::move(p.interaction));
    try {
      const auto ids = store_.recordInteractions(rows);
      for (std::size_t i = 0; i < batch.size(); ++i) batch[i].id.set_value(ids[i]);
    } catch (...) {
      for (auto& p : batch) p.id.set_exception(std::current_exception());
    }
  }
}

}  // namespace shopdesk::service
