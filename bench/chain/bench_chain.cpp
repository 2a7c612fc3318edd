// bench_chain: how fast values move along a chain of components in one process.
//
// W1: builtin.Iterator (N int64 values) -> K x builtin.Passthrough -> builtin.Checksum,
//     run by the local process with its default threads, for K = 4 and K = 1. The
//     checksum file must say count N and ordered true, or the benchmark fails.
// Baseline, in the same run: one std::thread producer and one consumer moving N int64
//     through a bounded queue guarded by std::mutex + std::condition_variable (the same
//     capacity as a patchbay channel). w1_k1_vs_mutex_queue is patchbay's throughput
//     over the baseline's: the machine-independent figure.
//
// Each figure is the median of kRuns rounds; the whole benchmark takes about 10 s.
//
// Prints `metric value unit` lines on stdout; exits 1 if a check fails.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <patchbay/channel.hpp>
#include <patchbay/model.hpp>
#include <patchbay/process.hpp>

namespace {

constexpr std::int64_t kValues = 2'000'000;
constexpr int kRuns = 5;

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void metric(const std::string& name, double value, const char* unit) {
  std::printf("%s %.*f %s\n", name.c_str(), value >= 100 ? 0 : 3, value, unit);
  std::fflush(stdout);
}

double median(std::vector<double> times) {
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// W1 with `stages` passthroughs. Returns the elapsed wall time of patchbay::run, or throws
// if the run or the checksum is wrong.
double run_w1(int stages, const std::filesystem::path& checksum_path) {
  patchbay::Model model;
  model.add_component("builtin.Iterator", "source", {{"iters", kValues}});
  std::string previous = "source.x";
  for (int i = 1; i <= stages; ++i) {
    std::string name = "pass-" + std::to_string(i);
    model.add_component("builtin.Passthrough", name);
    model.connect(previous, name + ".x");
    previous = name + ".y";
  }
  model.add_component("builtin.Checksum", "checksum", {{"path", checksum_path.string()}});
  model.connect(previous, "checksum.x");

  if (auto errors = patchbay::check_model(model); !errors.empty())
    throw std::runtime_error(patchbay::format_errors(errors));

  auto start = Clock::now();
  patchbay::RunReport report = patchbay::run(model);
  double elapsed = seconds_since(start);
  if (!report.ok) throw std::runtime_error("run failed: " + report.error);

  std::ifstream in(checksum_path);
  nlohmann::json result = nlohmann::json::parse(in);
  std::filesystem::remove(checksum_path);
  const std::int64_t expected_sum = kValues * (kValues - 1) / 2;
  if (result.at("count").get<std::int64_t>() != kValues || !result.at("ordered").get<bool>() ||
      result.at("sum").get<std::int64_t>() != expected_sum)
    throw std::runtime_error("checksum wrong: " + result.dump() + ", expected count " + std::to_string(kValues) +
                             ", sum " + std::to_string(expected_sum) + ", ordered true");
  return elapsed;
}

// A bounded FIFO guarded by one mutex, with one condition variable per side.
class MutexQueue {
 public:
  explicit MutexQueue(std::size_t capacity) : capacity_(capacity) {}

  void push(std::int64_t v) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(v);
    lock.unlock();
    not_empty_.notify_one();
  }

  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    not_empty_.notify_one();
  }

  // False once closed and drained.
  bool pop(std::int64_t& out) {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return false;
    out = items_.front();
    items_.pop_front();
    lock.unlock();
    not_full_.notify_one();
    return true;
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<std::int64_t> items_;
  std::size_t capacity_;
  bool closed_ = false;
};

double run_mutex_queue() {
  MutexQueue queue(patchbay::kDefaultChannelCapacity);
  std::int64_t count = 0, sum = 0, last = -1;
  bool ordered = true;
  auto start = Clock::now();
  std::thread consumer([&] {
    std::int64_t v = 0;
    while (queue.pop(v)) {
      if (v != last + 1) ordered = false;
      last = v;
      sum += v;
      ++count;
    }
  });
  std::thread producer([&] {
    for (std::int64_t i = 0; i < kValues; ++i) queue.push(i);
    queue.close();
  });
  producer.join();
  consumer.join();
  double elapsed = seconds_since(start);
  if (count != kValues || !ordered || sum != kValues * (kValues - 1) / 2)
    throw std::runtime_error("mutex queue baseline lost or reordered values");
  return elapsed;
}

}  // namespace

int main() {
  try {
    const auto dir = std::filesystem::temp_directory_path();
    const auto checksum = dir / ("patchbay-bench-chain-" + std::to_string(::getpid()) + ".json");
    const double n = static_cast<double>(kValues);

    // Rounds interleave the three, so a change in machine load hits them alike.
    std::vector<double> baseline_times, k1_times, k4_times;
    for (int round = 0; round < kRuns; ++round) {
      baseline_times.push_back(run_mutex_queue());
      k1_times.push_back(run_w1(1, checksum));
      k4_times.push_back(run_w1(4, checksum));
    }
    const double baseline = median(baseline_times), k1 = median(k1_times), k4 = median(k4_times);

    metric("baseline_mutex_queue_elapsed", baseline, "s");
    metric("baseline_mutex_queue_throughput", n / baseline, "values/s");
    metric("w1_k1_elapsed", k1, "s");
    metric("w1_k1_throughput", n / k1, "values/s");
    metric("w1_k1_vs_mutex_queue", baseline / k1, "ratio");
    metric("w1_k4_elapsed", k4, "s");
    metric("w1_k4_throughput", n / k4, "values/s");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_chain: %s\n", e.what());
    return 1;
  }
  return 0;
}
