// bench_idle: a model that mostly waits must not burn a core. CPU time (user + system, all
// threads) over wall time of a run that sleeps, patchbay and oneTBB.
//
//   patchbay: builtin.Iterator (10 values) -> builtin.Sleep (0.2 s) -> builtin.Checksum
//   oneTBB:   input_node (10 values) -> function_node(serial) sleeping 0.2 s ->
//             function_node(serial) summing
//
// About 2 s of wall time each. A figure near 0 means the threads slept while they waited;
// 1 would be one core spinning the whole time (2 cores here, so up to 2). Medians of
// kRounds, interleaved.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include <oneapi/tbb/flow_graph.h>
#include <patchbay/model.hpp>
#include <patchbay/process.hpp>

#include "../common/bench.hpp"

namespace {

constexpr std::int64_t kValues = 10;
constexpr double kSleepSeconds = 0.2;
constexpr int kRounds = 3;

struct Usage {
  double wall, cpu;
};

// --- patchbay ---------------------------------------------------------------------------

Usage patchbay_idle() {
  const auto checksum =
      std::filesystem::temp_directory_path() / ("patchbay-bench-idle-" + std::to_string(::getpid()) + ".json");
  patchbay::Model model;
  model.add_component("builtin.Iterator", "source", {{"iters", kValues}});
  model.add_component("builtin.Sleep", "slow", {{"seconds", kSleepSeconds}});
  model.add_component("builtin.Checksum", "sink", {{"path", checksum.string()}});
  model.connect("source.x", "slow.x");
  model.connect("slow.y", "sink.x");
  if (auto errors = patchbay::check_model(model); !errors.empty())
    throw std::runtime_error(patchbay::format_errors(errors));

  const double cpu0 = bench::cpu_seconds();
  auto start = bench::Clock::now();
  patchbay::RunReport report = patchbay::run(model);
  Usage u{bench::seconds_since(start), bench::cpu_seconds() - cpu0};
  bench::check(report.ok, "patchbay run failed: " + report.error);

  std::ifstream in(checksum);
  nlohmann::json result = nlohmann::json::parse(in);
  std::filesystem::remove(checksum);
  bench::check(result.at("count").get<std::int64_t>() == kValues && result.at("ordered").get<bool>(),
               "patchbay checksum wrong: " + result.dump());
  return u;
}

// --- oneTBB -----------------------------------------------------------------------------

Usage tbb_idle() {
  namespace flow = oneapi::tbb::flow;
  std::int64_t count = 0;
  const double cpu0 = bench::cpu_seconds();
  auto start = bench::Clock::now();
  {
    flow::graph g;
    std::int64_t next = 0;
    flow::input_node<std::int64_t> source(g, [&](oneapi::tbb::flow_control& fc) -> std::int64_t {
      if (next == kValues) {
        fc.stop();
        return 0;
      }
      return next++;
    });
    flow::function_node<std::int64_t, std::int64_t> slow(g, flow::serial, [](std::int64_t v) {
      std::this_thread::sleep_for(std::chrono::duration<double>(kSleepSeconds));
      return v;
    });
    flow::function_node<std::int64_t> sink(g, flow::serial, [&](std::int64_t) {
      ++count;
      return flow::continue_msg();
    });
    flow::make_edge(source, slow);
    flow::make_edge(slow, sink);
    source.activate();
    g.wait_for_all();
  }
  Usage u{bench::seconds_since(start), bench::cpu_seconds() - cpu0};
  bench::check(count == kValues, "oneTBB sink got " + std::to_string(count) + " values");
  return u;
}

}  // namespace

int main() {
  return bench::guarded_main("bench_idle", [] {
    std::vector<double> pb_cpu, pb_wall, pb_share, tbb_cpu, tbb_wall, tbb_share;
    auto record = [](Usage u, std::vector<double>& cpu, std::vector<double>& wall, std::vector<double>& share) {
      cpu.push_back(u.cpu);
      wall.push_back(u.wall);
      share.push_back(u.cpu / u.wall);
    };
    bench::interleave(
        kRounds, [&] { record(patchbay_idle(), pb_cpu, pb_wall, pb_share); },
        [&] { record(tbb_idle(), tbb_cpu, tbb_wall, tbb_share); });
    bench::metric("idle_patchbay_wall", bench::median(pb_wall), "s");
    bench::metric("idle_patchbay_cpu", bench::median(pb_cpu) * 1e3, "ms");
    bench::metric("idle_patchbay_cpu_per_wall_lower_is_better", bench::median(pb_share), "cores");
    bench::metric("idle_tbb_wall", bench::median(tbb_wall), "s");
    bench::metric("idle_tbb_cpu", bench::median(tbb_cpu) * 1e3, "ms");
    bench::metric("idle_tbb_cpu_per_wall_lower_is_better", bench::median(tbb_share), "cores");
  });
}
