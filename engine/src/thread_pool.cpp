#include "thread_pool.hpp"

namespace patchbay::detail {

ThreadPool::ThreadPool(int threads) : threads_(threads) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < threads; ++i) start_thread();
}

ThreadPool::~ThreadPool() {
  std::unique_lock lock(mutex_);
  stopping_.store(true);
  cv_.notify_all();
  exited_.wait(lock, [&] { return alive_ == 0; });
}

void ThreadPool::start_thread() {
  ++alive_;
  std::thread([this] { work(); }).detach();
}

void ThreadPool::submit(Task* task) {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(task);
    queued_.fetch_add(1, std::memory_order_relaxed);
    wake = sleeping_ > 0 && spinning_.load() == 0;
  }
  if (wake) cv_.notify_one();
}

void ThreadPool::begin_blocking() {
  std::lock_guard lock(mutex_);
  ++blocked_;
  if (alive_ - blocked_ < threads_ && alive_ < threads_ + kMaxHelpers && !stopping_.load()) start_thread();
}

void ThreadPool::end_blocking() {
  std::lock_guard lock(mutex_);
  --blocked_;
}

namespace {
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}
constexpr int kSpinRounds = 4000;  // a few tens of microseconds
}  // namespace

void ThreadPool::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // More threads able to run than the pool's size: a helper is no longer needed.
    if (alive_ - blocked_ > threads_ && !stopping_) break;
    if (!queue_.empty()) {
      Task* task = queue_.front();
      queue_.pop_front();
      queued_.fetch_sub(1, std::memory_order_relaxed);
      lock.unlock();
      task->run();
      lock.lock();
      continue;
    }
    if (stopping_) break;
    // Spin without the lock; every spinner looks at the queue under the lock afterwards,
    // so a task submitted while it spun is never left behind.
    spinning_.fetch_add(1);
    lock.unlock();
    for (int i = 0; i < kSpinRounds && queued_.load(std::memory_order_relaxed) == 0 && !stopping_.load(); ++i)
      cpu_relax();
    lock.lock();
    spinning_.fetch_sub(1);
    if (!queue_.empty() || stopping_) continue;
    ++sleeping_;
    cv_.wait(lock);
    --sleeping_;
  }
  if (--alive_ == 0) exited_.notify_all();
}

}  // namespace patchbay::detail
