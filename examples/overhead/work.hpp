// The work each message costs: `d` of CPU time, spent on the calling thread's own CPU
// clock (so a preempted thread still does all of it), with a result that depends on the
// state, so nothing is optimised away. Shared by the component and the serial loop.
#pragma once

#include <time.h>

#include <cstdint>

namespace overhead {

inline double thread_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// One stateful object: a running mix of what it was sent.
struct State {
  std::uint64_t mix = 0x9e3779b97f4a7c15ull;
  std::uint64_t messages = 0;
};

inline void work(State& s, std::int64_t message, double seconds) {
  s.mix ^= static_cast<std::uint64_t>(message) + 0x9e3779b97f4a7c15ull + (s.mix << 6) + (s.mix >> 2);
  ++s.messages;
  if (seconds <= 0) return;
  const double until = thread_cpu_seconds() + seconds;
  std::uint64_t x = s.mix;
  do {
    for (int i = 0; i < 64; ++i) x = x * 6364136223846793005ull + 1442695040888963407ull;
  } while (thread_cpu_seconds() < until);
  s.mix ^= x;
}

}  // namespace overhead
