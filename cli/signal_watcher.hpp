// Turns SIGINT and SIGTERM into a clean stop of the running model. The signals are
// blocked in every thread and received by one watcher thread, so no work happens in a
// signal handler. A second Ctrl-C exits at once.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace patchbay::cli {

class SignalWatcher {
 public:
  // Must be constructed before any other thread starts, so they inherit the mask.
  explicit SignalWatcher(std::function<void()> on_stop);
  ~SignalWatcher();
  bool signalled() const { return count_.load() > 0; }

 private:
  std::function<void()> on_stop_;
  std::atomic<int> count_{0};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace patchbay::cli
