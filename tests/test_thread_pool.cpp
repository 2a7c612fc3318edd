// The engine's thread pool and the IdleWork a channel backend lends it: an idle thread
// does the backend's I/O and runs what that I/O woke itself.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "../engine/src/thread_pool.hpp"

using namespace std::chrono_literals;
using patchbay::IdleWork;
using patchbay::detail::Task;
using patchbay::detail::ThreadPool;

namespace {

// Records the thread that ran it; a test waits for it with done().
class RecordingTask final : public Task {
 public:
  void run() override {
    std::lock_guard lock(mutex_);
    thread_ = std::this_thread::get_id();
    ran_ = true;
    cv_.notify_all();
  }
  bool done(std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return ran_; });
  }
  std::thread::id thread() {
    std::lock_guard lock(mutex_);
    return thread_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool ran_ = false;
  std::thread::id thread_;
};

// Stands in for a backend's sockets: "arrivals" are tasks that wait_and_handle() submits
// to the pool, as a channel's wake-up does.
class FakeIdleWork final : public IdleWork {
 public:
  bool lend() override {
    std::lock_guard lock(mutex_);
    ++lends;
    if (lent_) return false;
    lent_ = true;
    return true;
  }
  void reclaim() override {
    std::lock_guard lock(mutex_);
    ++reclaims;
    lent_ = false;
  }
  void wait_and_handle() override {
    int now = inside.fetch_add(1) + 1;
    int seen = most_inside.load();
    while (now > seen && !most_inside.compare_exchange_weak(seen, now)) {
    }
    std::deque<std::pair<RecordingTask*, std::thread::id*>> arrived;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return !arrived_.empty() || interrupted_; });
      interrupted_ = false;
      arrived.swap(arrived_);
    }
    for (auto& [task, handler] : arrived) {
      *handler = std::this_thread::get_id();
      pool->submit(task);
    }
    inside.fetch_sub(1);
  }
  void interrupt() override {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
    cv_.notify_all();
  }

  void arrive(RecordingTask* task, std::thread::id* handler) {
    std::lock_guard lock(mutex_);
    arrived_.emplace_back(task, handler);
    cv_.notify_all();
  }
  bool wait_until_inside() {
    for (auto until = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < until;) {
      if (inside.load() == 1) return true;
      std::this_thread::sleep_for(1ms);
    }
    return false;
  }

  ThreadPool* pool = nullptr;
  std::atomic<int> inside{0}, most_inside{0};
  int lends = 0, reclaims = 0;  // read once the pools are gone

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::pair<RecordingTask*, std::thread::id*>> arrived_;
  bool interrupted_ = false;
  bool lent_ = false;
};

}  // namespace

TEST_CASE("what the idle work wakes runs on the thread that did the work") {
  FakeIdleWork io;
  {
    ThreadPool pool(1, /*spin=*/false, &io);
    io.pool = &pool;
    for (int i = 0; i < 50; ++i) {
      RecordingTask task;
      std::thread::id handler;
      REQUIRE(io.wait_until_inside());
      io.arrive(&task, &handler);
      REQUIRE(task.done());
      CHECK(task.thread() == handler);
    }
  }
  CHECK(io.lends == 1);
  CHECK(io.reclaims == 1);
}

TEST_CASE("of several idle threads one at a time does the idle work, and everything it wakes runs") {
  FakeIdleWork io;
  std::vector<RecordingTask> tasks(200);
  std::vector<std::thread::id> handlers(tasks.size());
  {
    ThreadPool pool(3, /*spin=*/false, &io);
    io.pool = &pool;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      io.arrive(&tasks[i], &handlers[i]);
      if (i % 10 == 0) std::this_thread::yield();
    }
    for (auto& task : tasks) REQUIRE(task.done());
  }
  CHECK(io.most_inside.load() == 1);
  CHECK(io.reclaims == 1);
}

TEST_CASE("a task from another thread runs while the pool's only idle thread waits in the idle work") {
  FakeIdleWork io;
  {
    ThreadPool pool(1, /*spin=*/false, &io);
    io.pool = &pool;
    REQUIRE(io.wait_until_inside());
    RecordingTask task;
    pool.submit(&task);
    CHECK(task.done());
    CHECK(task.thread() != std::this_thread::get_id());
    REQUIRE(io.wait_until_inside());
  }  // the destructor interrupts the idle work, or this never returns
  CHECK(io.reclaims == 1);
}

TEST_CASE("idle work already lent to one pool is not lent to another, which still runs its tasks") {
  FakeIdleWork io;
  {
    ThreadPool first(1, /*spin=*/false, &io);
    io.pool = &first;
    {
      ThreadPool second(1, /*spin=*/false, &io);
      RecordingTask task;
      second.submit(&task);
      CHECK(task.done());
    }
    CHECK(io.lends == 2);
    CHECK(io.reclaims == 0);  // the second pool never had it
    RecordingTask task;
    std::thread::id handler;
    REQUIRE(io.wait_until_inside());
    io.arrive(&task, &handler);
    CHECK(task.done());
  }
  CHECK(io.reclaims == 1);
}
