#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "store/store.h"

namespace shopdesk::service {

//! Group commit for interactions: concurrent answers are stored together in one transaction, and each caller
//! returns only once its interaction is committed. One fsync then acknowledges hundreds of answers, and no
//! answer is ever acknowledged before it is durable.
class InteractionWriter {
 public:
  explicit InteractionWriter(store::Store& store, std::size_t maxBatch = 512);
  ~InteractionWriter();
  InteractionWriter(const InteractionWriter&) = delete;
  InteractionWriter& operator=(const InteractionWriter&) = delete;

  //! Stores `interaction` and returns its id; rethrows the store's error when the batch failed.
  std::int64_t write(store::Interaction interaction);

 private:
  struct Pending {
    store::Interaction interaction;
    std::promise<std::int64_t> id;
  };
  void run();

  store::Store& store_;
  std::size_t maxBatch_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace shopdesk::service
