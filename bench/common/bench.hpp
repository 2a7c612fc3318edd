// Shared helpers for the benchmarks: `metric value unit` output, medians, clocks, CPU time
// and peak memory, a board where bench components leave their results, and the checks
// that make a benchmark fail when a result is wrong.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench {

using Clock = std::chrono::steady_clock;

inline double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

inline double seconds_since(Clock::time_point start) {
  return seconds_between(start, Clock::now());
}

// One `metric value unit` line on stdout, flushed at once so a slow benchmark shows progress.
inline void metric(const std::string& name, double value, const std::string& unit) {
  const double a = std::fabs(value);
  const int decimals = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 3 : 4;
  std::printf("%s %.*f %s\n", name.c_str(), decimals, value, unit.c_str());
  std::fflush(stdout);
}

// A whole number (a count, a flag) printed as one.
inline void metric_count(const std::string& name, long long value, const std::string& unit) {
  std::printf("%s %lld %s\n", name.c_str(), value, unit.c_str());
  std::fflush(stdout);
}

// The ratio lines: patchbay's figure over oneTBB's, named for the better direction
// (a rate: higher is better; a time or a size: lower is better).
inline void ratio_higher_is_better(const std::string& what, double patchbay, double tbb) {
  metric(what + "_ratio_higher_is_better", patchbay / tbb, "patchbay/tbb");
}
inline void ratio_lower_is_better(const std::string& what, double patchbay, double tbb) {
  metric(what + "_ratio_lower_is_better", patchbay / tbb, "patchbay/tbb");
}

inline double median(std::vector<double> v) {
  if (v.empty()) throw std::logic_error("median of nothing");
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The value below which `q` (0..1) of the samples fall (nearest rank).
inline double percentile(std::vector<double> v, double q) {
  if (v.empty()) throw std::logic_error("percentile of nothing");
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

// Runs the patchbay and the oneTBB side of a workload `rounds` times each, alternating
// which goes first, so a change in the machine's load hits both alike. Before each run it
// pauses briefly: oneTBB's workers spin for a while after a graph finishes, and would
// otherwise steal a core from the run that follows.
template <class Patchbay, class Tbb>
void interleave(int rounds, Patchbay&& patchbay, Tbb&& tbb) {
  auto settle = [] { std::this_thread::sleep_for(std::chrono::milliseconds(50)); };
  for (int round = 0; round < rounds; ++round) {
    settle();
    if (round % 2 == 0) {
      patchbay();
      settle();
      tbb();
    } else {
      tbb();
      settle();
      patchbay();
    }
  }
}

inline void check(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what);
}

// Reads and removes the file a builtin.Checksum wrote for the stream 0, 1, ..., count - 1
// (a builtin.Iterator's), and fails unless it says count, sum and ordered.
inline void check_checksum_file(const std::filesystem::path& path, std::int64_t count) {
  std::ifstream in(path);
  check(static_cast<bool>(in), "no checksum file " + path.string());
  nlohmann::json result = nlohmann::json::parse(in);
  std::filesystem::remove(path);
  const std::int64_t sum = count * (count - 1) / 2;
  check(result.at("count").get<std::int64_t>() == count && result.at("ordered").get<bool>() &&
            result.at("sum").get<std::int64_t>() == sum,
        "patchbay checksum wrong: " + result.dump() + ", expected count " + std::to_string(count) + ", sum " +
            std::to_string(sum) + ", ordered true");
}

// CPU time (user + system, every thread of this process, finished ones included).
inline double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return tv(u.ru_utime) + tv(u.ru_stime);
}

// Peak resident set size of this process so far, in KiB (Linux reports ru_maxrss in KiB).
inline long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Where the benchmark's own components leave what they measured, keyed by a name they
// get as a parameter. The engine builds components itself, so this is how their results
// get back to the benchmark.
template <class Result>
class Board {
 public:
  void put(const std::string& key, Result r) {
    std::lock_guard lock(mutex_);
    results_[key] = std::move(r);
  }
  Result take(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = results_.find(key);
    if (it == results_.end()) throw std::runtime_error("no result for '" + key + "'");
    Result r = std::move(it->second);
    results_.erase(it);
    return r;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, Result> results_;
};

// Runs `measure` (returning a trivially copyable result) in a forked child and returns
// what it measured; throws if it failed. A child's peak RSS and its own children's are its
// own, not the caller's.
template <class Result, class Measure>
Result in_child(const char* name, Measure&& measure) {
  static_assert(std::is_trivially_copyable_v<Result>);
  int fds[2];
  std::fflush(nullptr);  // or the child would print what this process has buffered
  if (::pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::close(fds[0]);
    int code = 0;
    try {
      Result r = measure();
      if (::write(fds[1], &r, sizeof r) != static_cast<ssize_t>(sizeof r)) code = 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s (child): %s\n", name, e.what());
      code = 1;
    }
    std::fflush(stderr);
    ::_exit(code);
  }
  ::close(fds[1]);
  Result r{};
  ssize_t got = ::read(fds[0], &r, sizeof r);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  check(got == static_cast<ssize_t>(sizeof r) && WIFEXITED(status) && WEXITSTATUS(status) == 0,
        std::string(name) + ": a measuring child failed");
  return r;
}

// Runs `body` and returns 0, or prints the failure and returns 1 (for main()).
template <class F>
int guarded_main(const char* name, F&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 1;
  }
  return 0;
}

}  // namespace bench
