#include "thread_pool.hpp"

#include <system_error>

namespace patchbay::detail {

namespace {
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}
constexpr int kSpinRounds = 4000;  // a few tens of microseconds
// The pool whose idle work this thread is doing: what it wakes there it runs itself.
thread_local const ThreadPool* tl_in_idle_work = nullptr;
}  // namespace

ThreadPool::ThreadPool(int threads, bool spin, IdleWork* idle_work)
    : threads_(threads), spin_rounds_(spin ? kSpinRounds : 0) {
  // Before taking mutex_: the idle work's own thread may be submitting to this pool.
  if (idle_work && idle_work->lend()) idle_work_ = idle_work;
  std::unique_lock lock(mutex_);
  try {
    for (int i = 0; i < threads; ++i) start_thread();
  } catch (...) {
    stop_threads(lock);  // the threads already started must be gone before this object is
    throw;
  }
}

ThreadPool::~ThreadPool() {
  std::unique_lock lock(mutex_);
  stop_threads(lock);
}

void ThreadPool::stop_threads(std::unique_lock<std::mutex>& lock) {
  stopping_.store(true);
  cv_.notify_all();
  if (in_idle_work_) idle_work_->interrupt();
  exited_.wait(lock, [&] { return alive_ == 0; });
  lock.unlock();
  if (idle_work_) idle_work_->reclaim();
}

void ThreadPool::start_thread() {
  std::thread([this] { work(); }).detach();  // may throw: count it only once it runs
  ++alive_;
}

void ThreadPool::submit(Task* task) {
  std::unique_lock lock(mutex_);
  queue_.push_back(task);
  queued_.fetch_add(1, std::memory_order_relaxed);
  // A thread doing idle work runs what it woke once it returns.
  if (spinning_.load() == 0 && tl_in_idle_work != this) wake_one(lock);
}

void ThreadPool::wake_one(std::unique_lock<std::mutex>& lock) {
  if (sleeping_ > 0) {
    lock.unlock();
    cv_.notify_one();
  } else if (in_idle_work_) {
    lock.unlock();
    idle_work_->interrupt();  // if it has just returned, its next wait returns at once
  }
}

void ThreadPool::begin_blocking() {
  std::lock_guard lock(mutex_);
  ++blocked_;
  if (alive_ - blocked_ < threads_ && alive_ < threads_ + kMaxHelpers && !stopping_.load()) {
    try {
      start_thread();
    } catch (const std::system_error&) {
      // No helper: the others wait a little longer for this thread, nothing more.
    }
  }
}

void ThreadPool::end_blocking() {
  std::lock_guard lock(mutex_);
  --blocked_;
}

void ThreadPool::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!queue_.empty()) {
      Task* task = queue_.front();
      queue_.pop_front();
      queued_.fetch_sub(1, std::memory_order_relaxed);
      // More waiting and nobody looking: a burst of submits must not wait for this task.
      if (!queue_.empty() && spinning_.load() == 0) wake_one(lock);
      if (lock.owns_lock()) lock.unlock();
      task->run();
      lock.lock();
      continue;
    }
    if (stopping_) break;
    // More threads able to run than the pool's size: a helper is no longer needed.
    if (alive_ - blocked_ > threads_) break;
    // Spin without the lock; every spinner looks at the queue under the lock afterwards,
    // so a task submitted while it spun is never left behind.
    spinning_.fetch_add(1);
    lock.unlock();
    for (int i = 0; i < spin_rounds_ && queued_.load(std::memory_order_relaxed) == 0 && !stopping_.load(); ++i)
      cpu_relax();
    lock.lock();
    spinning_.fetch_sub(1);
    if (!queue_.empty() || stopping_) continue;
    if (idle_work_ && !in_idle_work_) {
      in_idle_work_ = true;
      lock.unlock();
      tl_in_idle_work = this;
      idle_work_->wait_and_handle();
      tl_in_idle_work = nullptr;
      lock.lock();
      in_idle_work_ = false;
      // This thread is about to run what the I/O woke: a sleeper takes over the I/O.
      if (!queue_.empty() && sleeping_ > 0) cv_.notify_one();
      continue;
    }
    ++sleeping_;
    cv_.wait(lock);
    --sleeping_;
  }
  if (--alive_ == 0) exited_.notify_all();
}

}  // namespace patchbay::detail
