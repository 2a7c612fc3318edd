// Not API, but for process types: hands a Process's request_stop() (from any thread, such
// as a signal watcher) to the run in progress, or keeps it for the run about to start.
#pragma once

#include <mutex>
#include <utility>

namespace patchbay::detail {

// Run: anything with request_stop(bool interrupted).
template <class Run>
class StopRelay {
 public:
  // While the returned guard lives, stops go to `run`; one asked for before goes now.
  [[nodiscard]] auto attach(Run& run) {
    {
      std::lock_guard lock(mutex_);
      current_ = &run;
      if (std::exchange(stop_before_start_, false)) run.request_stop(true);
    }
    struct Detach {
      StopRelay* relay;
      ~Detach() {
        std::lock_guard lock(relay->mutex_);
        relay->current_ = nullptr;
      }
    };
    return Detach{this};
  }

  void request_stop() {
    std::lock_guard lock(mutex_);
    if (current_) current_->request_stop(true);
    else stop_before_start_ = true;
  }

 private:
  std::mutex mutex_;
  Run* current_ = nullptr;
  bool stop_before_start_ = false;
};

}  // namespace patchbay::detail
