// Not API: the shared "this run is stopping" flag that components can sleep on. A sleep
// tells the pool its thread is blocked, so the other components keep their threads.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "thread_pool.hpp"

namespace patchbay::detail {

// Hands on the wake-ups the running component holds before its thread blocks.
void flush_before_blocking();

class StopState {
 public:
  void request() {
    {
      std::lock_guard lock(mutex_);
      requested_.store(true, std::memory_order_release);
    }
    cv_.notify_all();
  }
  bool requested() const { return requested_.load(std::memory_order_acquire); }
  // Returns false if the stop came first.
  template <class Duration>
  bool sleep_for(Duration d) const {
    flush_before_blocking();
    if (pool_) pool_->begin_blocking();
    bool slept;
    {
      std::unique_lock lock(mutex_);
      slept = !cv_.wait_for(lock, d, [&] { return requested(); });
    }
    if (pool_) pool_->end_blocking();
    return slept;
  }
  void set_pool(ThreadPool* pool) { pool_ = pool; }

 private:
  std::atomic<bool> requested_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  ThreadPool* pool_ = nullptr;
};

}  // namespace patchbay::detail
