// Not API: a fixed set of threads running tasks from one shared queue.
//
// An idle thread spins for a few tens of microseconds before it sleeps, and submit() only
// wakes a sleeper when no thread is spinning: waking a sleeping thread costs about 20 µs
// here, so a pipeline whose stages keep handing values on never pays for it. A pool whose
// work comes from other threads' I/O (a worker of a multiprocess run) does not spin: the
// CPU it would burn is the one those threads need.
//
// Such a pool may be lent a backend's IdleWork (see channel.hpp): one idle thread then
// waits in it instead of sleeping, and runs what the I/O woke itself.
//
// A task that is about to block (a component sleeping in its step) brackets the wait with
// begin_blocking()/end_blocking(); while it waits the pool keeps `threads` others able to
// run, starting helper threads when needed (at most kMaxHelpers at a time). Helpers end
// when they are no longer needed.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "patchbay/backend/channel.hpp"

namespace patchbay::detail {

class Task {
 public:
  virtual void run() = 0;

 protected:
  ~Task() = default;
};

class ThreadPool {
 public:
  static constexpr int kMaxHelpers = 64;

  explicit ThreadPool(int threads, bool spin = true, IdleWork* idle_work = nullptr);
  ~ThreadPool();  // finishes the tasks already queued, then waits for every thread to end
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void submit(Task* task);

  void begin_blocking();
  void end_blocking();

 private:
  void work();
  void start_thread();  // with mutex_ held
  void stop_threads(std::unique_lock<std::mutex>& lock);  // returns with every thread gone
  void wake_one(std::unique_lock<std::mutex>& lock);  // a sleeper, or the thread in idle_work_

  const int threads_;
  const int spin_rounds_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::condition_variable exited_;
  std::deque<Task*> queue_;
  std::atomic<int> queued_{0};    // queue_.size(), readable without the lock
  std::atomic<int> spinning_{0};  // threads looking for work without sleeping
  int sleeping_ = 0;
  IdleWork* idle_work_ = nullptr;  // set if lent
  bool in_idle_work_ = false;      // a thread waits in idle_work_ (not counted in sleeping_)
  std::atomic<bool> stopping_{false};
  int alive_ = 0;
  int blocked_ = 0;
};

}  // namespace patchbay::detail
