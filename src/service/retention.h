#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "store/store.h"

namespace shopdesk::service {

//! Keeps customers' questions for a set number of days and no longer: a background thread deletes older
//! interactions, their feedback with them, in batches of one transaction each, so answering waits at most for
//! one batch. Training examples agents made of them stay.
class Retention {
 public:
  //! Interactions older than `days` go; `every` is how often the thread looks.
  Retention(store::Store& store, int days, std::chrono::milliseconds every = std::chrono::hours(1));
  ~Retention();  //!< stops the thread

  //! Starts the thread, which sweeps at once and then every `every`.
  void start();
  //! Deletes every interaction older than the retention period, now; returns how many.
  std::int64_t sweep();

 private:
  store::Store& store_;
  std::int64_t days_;
  std::chrono::milliseconds every_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace shopdesk::service
