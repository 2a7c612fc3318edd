// Not API: the shared "this run is stopping" flag that components can sleep on.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace patchbay::detail {

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
    std::unique_lock lock(mutex_);
    return !cv_.wait_for(lock, d, [&] { return requested(); });
  }

 private:
  std::atomic<bool> requested_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
};

}  // namespace patchbay::detail
