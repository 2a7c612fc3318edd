// bench_overhead (W8): 16 stateful objects, each message costing d of CPU, for d from 0
// to 10 ms, against a serial loop over the same objects doing the same work in the same
// program. It prints the speedup over the loop (wall clock), and the engine's CPU
// overhead per message: the CPU seconds of the run (every thread, and every worker
// process) less those of the same model with no messages (starting and ending the run:
// threads, worker processes) and less the work itself (messages x d), divided by the
// messages. Each message makes two hops (source -> object -> tally).
//
//   local:        one process, a pool of 2 threads (the machine's cores)
//   2 workers:    multiprocess; objects alternate between the workers, the source and the
//                 tally on worker 0, so half the messages cross processes both ways
//
// The components are examples/overhead's, built into this benchmark's copy of its plugin.
#include <cstdint>
#include <string>

#include <patchbay/model.hpp>
#include <patchbay/plugin.hpp>
#include <patchbay/process.hpp>

#include "../../examples/overhead/work.hpp"
#include "../common/bench.hpp"

namespace {

constexpr int kObjects = 16;

struct Run {
  double wall = 0, cpu = 0;
};

patchbay::Model model(std::int64_t messages, double d, bool two_workers) {
  patchbay::Model m;
  if (two_workers) {
    m.process().type = "multiprocess";
    m.process().args = {{"workers", patchbay::Value(std::int64_t{2})}, {"threads", patchbay::Value(std::int64_t{1})}};
  } else {
    m.process().args = {{"threads", patchbay::Value(std::int64_t{2})}};
  }
  m.add_component("overhead.Messages", "messages", {{"count", messages}, {"objects", kObjects}}).worker = 0;
  m.add_component("overhead.Tally", "tally", {{"count", messages}, {"objects", kObjects}}).worker = 0;
  for (int k = 0; k < kObjects; ++k) {
    const std::string K = std::to_string(k);
    std::string o = "o";
    o += K;
    m.add_component("overhead.Object", o, {{"seconds", d}}).worker = k % 2;
    m.connect("messages.m" + K, o + ".m");
    m.connect(o + ".done", "tally.d" + K);
  }
  return m;
}

// In a child, so that the CPU time of its workers (reaped children) is its own.
Run run_model(std::int64_t messages, double d, bool two_workers) {
  return bench::in_child<Run>("bench_overhead", [&] {
    patchbay::Model m = model(messages, d, two_workers);
    const double cpu0 = bench::cpu_seconds();
    const auto start = bench::Clock::now();
    patchbay::RunReport report = patchbay::run(m);
    Run r;
    r.wall = bench::seconds_since(start);
    bench::check(report.ok, report.error);
    rusage children{};
    getrusage(RUSAGE_CHILDREN, &children);
    auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
    r.cpu = bench::cpu_seconds() - cpu0 + tv(children.ru_utime) + tv(children.ru_stime);
    return r;
  });
}

double serial_loop(std::int64_t messages, double d) {
  std::vector<overhead::State> objects(kObjects);
  const auto start = bench::Clock::now();
  for (std::int64_t i = 0; i < messages; ++i) overhead::work(objects[static_cast<std::size_t>(i % kObjects)], i, d);
  const double wall = bench::seconds_since(start);
  std::uint64_t mix = 0;
  for (const auto& o : objects) mix ^= o.mix;
  bench::check(mix != 0 && objects.front().messages == static_cast<std::uint64_t>(messages / kObjects), "serial loop");
  return wall;
}

std::string label(double d) {
  if (d == 0) return "0us";
  if (d < 1e-6) return std::to_string(static_cast<int>(d * 1e9 + 0.5)) + "ns";
  if (d < 1e-3) return std::to_string(static_cast<int>(d * 1e6 + 0.5)) + "us";
  return std::to_string(static_cast<int>(d * 1e3 + 0.5)) + "ms";
}

}  // namespace

int main() {
  return bench::guarded_main("bench_overhead", [] {
    patchbay::PluginLoad plugin = patchbay::load_plugin(PATCHBAY_BENCH_OVERHEAD_PLUGIN);
    bench::check(plugin.ok(), "plugin " + plugin.path + ": " + plugin.error);
    // What a run costs with nothing to do: the baseline of the CPU overhead.
    const double empty_cpu[2] = {run_model(0, 0, false).cpu, run_model(0, 0, true).cpu};
    bench::metric("w8_empty_run_cpu_local", empty_cpu[0] * 1e3, "ms");
    bench::metric("w8_empty_run_cpu_2workers", empty_cpu[1] * 1e3, "ms");
    for (double d : {0.0, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2}) {
      // About 0.4 s of work in all (at least 48 messages), a multiple of the objects.
      std::int64_t messages = d == 0 ? 1'600'000 : static_cast<std::int64_t>(0.4 / d);
      messages = std::clamp<std::int64_t>(messages / kObjects * kObjects, 48, 1'600'000);
      const double serial = serial_loop(messages, d);
      const std::string w = "w8_" + label(d);
      for (bool two : {false, true}) {
        Run r = run_model(messages, d, two);
        const std::string where = w + (two ? "_2workers" : "_local");
        bench::metric(where + "_speedup_over_serial", serial / r.wall, "x");
        const double work = static_cast<double>(messages) * d;
        bench::metric(where + "_overhead_cpu_per_message", (r.cpu - empty_cpu[two] - work) / static_cast<double>(messages) * 1e6,
                      "us");
      }
    }
  });
}
