#include "thread_pool.hpp"

namespace patchbay::detail {

ThreadPool::ThreadPool(int threads) : threads_(threads) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < threads; ++i) start_thread();
}

ThreadPool::~ThreadPool() {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  cv_.notify_all();
  exited_.wait(lock, [&] { return alive_ == 0; });
}

void ThreadPool::start_thread() {
  ++alive_;
  std::thread([this] { work(); }).detach();
}

void ThreadPool::submit(Task* task) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(task);
  }
  cv_.notify_one();
}

void ThreadPool::begin_blocking() {
  std::lock_guard lock(mutex_);
  ++blocked_;
  if (alive_ - blocked_ < threads_ && alive_ < threads_ + kMaxHelpers && !stopping_) start_thread();
}

void ThreadPool::end_blocking() {
  std::lock_guard lock(mutex_);
  --blocked_;
}

void ThreadPool::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // More threads able to run than the pool's size: a helper is no longer needed.
    if (alive_ - blocked_ > threads_ && !stopping_) break;
    if (!queue_.empty()) {
      Task* task = queue_.front();
      queue_.pop_front();
      lock.unlock();
      task->run();
      lock.lock();
      continue;
    }
    if (stopping_) break;
    cv_.wait(lock);
  }
  if (--alive_ == 0) exited_.notify_all();
}

}  // namespace patchbay::detail
