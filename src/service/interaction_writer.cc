#include "service/interaction_writer.h"

#include <utility>

namespace shopdesk::service {

InteractionWriter::InteractionWriter(store::Store& store) : store_(store), thread_([this] { run(); }) {}

InteractionWriter::~InteractionWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  thread_.join();
}

std::int64_t InteractionWriter::write(store::Interaction interaction) {
  Waiter self{std::move(interaction), 0, nullptr, false};
  std::unique_lock lock(mutex_);
  queue_.push_back(&self);
  auto& committed = committed_[batches_ % 2];
  // A busy writer takes the queue when its commit ends; only a waiting one needs waking (a system call).
  if (idle_) ready_.notify_one();
  committed.wait(lock, [&] { return self.done; });
  if (self.error) std::rethrow_exception(self.error);
  return self.id;
}

void InteractionWriter::run() {
  std::vector<Waiter*> batch;
  std::vector<store::Interaction> rows;
  std::unique_lock lock(mutex_);
  for (;;) {
    idle_ = true;
    ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    idle_ = false;
    if (queue_.empty()) return;  // stopping, and everything queued is written
    batch.swap(queue_);
    auto& committed = committed_[batches_ % 2];
    ++batches_;
    lock.unlock();

    // The callers wait until done, so their interactions are the writer's to move until then.
    rows.clear();
    for (auto* waiter : batch) rows.push_back(std::move(waiter->interaction));
    std::vector<std::int64_t> ids;
    std::exception_ptr error;
    try {
      ids = store_.recordInteractions(rows);
    } catch (...) {
      error = std::current_exception();
    }

    lock.lock();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (error)
        batch[i]->error = error;
      else
        batch[i]->id = ids[i];
      batch[i]->done = true;
    }
    batch.clear();
    // Notified after the unlock, so that a woken caller does not find the mutex still held by this thread.
    lock.unlock();
    committed.notify_all();
    lock.lock();
  }
}

}  // namespace shopdesk::service
