// The ideal makespans the measured runs are compared with: what a perfect scheduler with
// no overhead would reach for the same task durations, greedily (each task, in order, to
// the lane that is free first) and with a static round-robin split (task i to lane i % n).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <numeric>
#include <queue>
#include <vector>

namespace loadbalance {

// The durations of the seed workload: `count` tasks of `short_seconds`, every
// `long_every`-th one `long_factor` times longer.
inline std::vector<double> task_durations(int count, double short_seconds, int long_every, double long_factor) {
  std::vector<double> out;
  for (int i = 0; i < count; ++i)
    out.push_back((long_every > 0 && (i + 1) % long_every == 0) ? short_seconds * long_factor : short_seconds);
  return out;
}

inline double serial_seconds(const std::vector<double>& durations) {
  return std::accumulate(durations.begin(), durations.end(), 0.0);
}

inline double greedy_makespan(const std::vector<double>& durations, int lanes) {
  std::priority_queue<double, std::vector<double>, std::greater<double>> free_at;
  for (int i = 0; i < lanes; ++i) free_at.push(0.0);
  double end = 0;
  for (double d : durations) {
    double start = free_at.top();
    free_at.pop();
    free_at.push(start + d);
    end = std::max(end, start + d);
  }
  return end;
}

inline double round_robin_makespan(const std::vector<double>& durations, int lanes) {
  std::vector<double> busy(static_cast<std::size_t>(std::max(lanes, 1)), 0.0);
  for (std::size_t i = 0; i < durations.size(); ++i) busy[i % busy.size()] += durations[i];
  return *std::max_element(busy.begin(), busy.end());
}

}  // namespace loadbalance
