// Not API: a fixed set of threads running tasks from one shared queue.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace patchbay::detail {

class Task {
 public:
  virtual void run() = 0;

 protected:
  ~Task() = default;
};

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();  // finishes the tasks already queued, then joins
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void submit(Task* task);
  int size() const { return static_cast<int>(threads_.size()); }

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Task*> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace patchbay::detail
