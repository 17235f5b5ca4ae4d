#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "store/store.h"

namespace shopdesk::service {

//! Group commit for interactions: concurrent answers are stored together in one transaction, and each caller
//! returns only once its interaction is committed. One fsync then acknowledges hundreds of answers, and no
//! answer is ever acknowledged before it is durable. A batch is whatever queued during the previous commit:
//! at most one interaction per calling thread, since each caller waits for its own.
class InteractionWriter {
 public:
  explicit InteractionWriter(store::Store& store);
  ~InteractionWriter();
  InteractionWriter(const InteractionWriter&) = delete;
  InteractionWriter& operator=(const InteractionWriter&) = delete;

  //! Stores `interaction` and returns its id; rethrows the store's error when the batch failed.
  std::int64_t write(store::Interaction interaction);

 private:
  // A caller's interaction and its outcome, on the caller's stack until `done`.
  struct Waiter {
    store::Interaction interaction;
    std::int64_t id = 0;
    std::exception_ptr error;
    bool done = false;
  };
  void run();

  store::Store& store_;
  std::mutex mutex_;
  std::condition_variable ready_;  // the writer waits for a first caller
  // The callers of batch n wait on committed_[n % 2]: one wake-up then reaches a whole batch, and none of the
  // callers queued for the next one while it commits.
  std::array<std::condition_variable, 2> committed_;
  std::vector<Waiter*> queue_;  // the next batch
  std::uint64_t batches_ = 0;   // batches taken so far: the queue becomes batch number batches_
  bool idle_ = false;           // the writer is waiting on ready_
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace shopdesk::service
