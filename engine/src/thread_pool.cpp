#include "thread_pool.hpp"

namespace patchbay::detail {

ThreadPool::ThreadPool(int threads) {
  threads_.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void ThreadPool::submit(Task* task) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(task);
  }
  cv_.notify_one();
}

void ThreadPool::work() {
  for (;;) {
    Task* task;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = queue_.front();
      queue_.pop_front();
    }
    task->run();
  }
}

}  // namespace patchbay::detail
