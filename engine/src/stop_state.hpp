// Not API: the shared "this run is stopping" flag that components can sleep on. A sleep
// tells the pool its thread is blocked, so the other components keep their threads.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "thread_pool.hpp"

namespace patchbay::detail {

// Hands on the wake-ups the running component holds before its thread blocks. Returns
// false when the caller is not a pool thread running a component (init(), a component's
// own thread): then there is nothing to hand on and no pool place to lend.
bool flush_before_blocking();

class StopState {
 public:
  void request() {
    {
      std::lock_guard lock(mutex_);
      requested_.store(true, std::memory_order_seq_cst);
    }
    cv_.notify_all();
  }
  bool requested() const { return requested_.load(std::memory_order_seq_cst); }
  // Lends the calling pool thread's place while it blocks (a helper may start in its
  // place); returns the pool to give it back to with give_back(), or null when there is
  // nothing to lend: not a pool thread running a component, or lent already (a sleep
  // inside a Blocking guard).
  ThreadPool* lend() const {
    if (lent_here_ || !flush_before_blocking() || pool_ == nullptr) return nullptr;
    lent_here_ = true;
    pool_->begin_blocking();
    return pool_;
  }
  static void give_back(ThreadPool* pool) {
    if (pool == nullptr) return;
    pool->end_blocking();
    lent_here_ = false;
  }
  // Returns false if the stop came first.
  template <class Duration>
  bool sleep_for(Duration d) const {
    struct Lent {
      ThreadPool* pool;
      ~Lent() { give_back(pool); }
    } lent{lend()};
    std::unique_lock lock(mutex_);
    return !cv_.wait_for(lock, d, [&] { return requested(); });
  }
  void set_pool(ThreadPool* pool) { pool_ = pool; }

 private:
  std::atomic<bool> requested_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  ThreadPool* pool_ = nullptr;
  static inline thread_local bool lent_here_ = false;
};

}  // namespace patchbay::detail
