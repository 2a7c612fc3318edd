// bench_loadbalance (W7): the seed load-balance workload, 146 tasks as sleeps (most 20 ms,
// every 12th 100 ms), on 12 replicas fed from one queue, locally and across two workers,
// and the static round-robin split over 12 copies beside them. The baseline is the ideal
// schedule for the same durations, computed in the same run: the speedup over the serial
// sum divided by the ideal one (goal: at least 0.97 for replicas, both ways).
//
// The components are examples/load-balance's (loadbalance.Tasks, .Work, .RoundRobin,
// .Timetable), built into this benchmark's own copy of that plugin.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <patchbay/model.hpp>
#include <patchbay/plugin.hpp>
#include <patchbay/process.hpp>

#include "../common/bench.hpp"

namespace {

constexpr int kCopies = 12;
constexpr int kRounds = 3;

struct Figures {
  double speedup = 0, ideal_greedy = 0, ideal_round_robin = 0;
};

patchbay::Model base(const std::string& stats) {
  patchbay::Model m;
  m.add_component("loadbalance.Tasks", "tasks");
  m.add_component("loadbalance.Timetable", "table",
                  {{"path", stats + ".svg"}, {"stats", stats}, {"quiet", true}});
  return m;
}

patchbay::Model replicas(const std::string& stats, bool multiprocess) {
  patchbay::Model m = base(stats);
  if (multiprocess) {
    m.process().type = "multiprocess";
    m.process().args = {{"workers", patchbay::Value(std::int64_t{2})}};
    m.find("tasks")->worker = 0;
    m.find("table")->worker = 1;
  }
  auto& pool = m.add_component("loadbalance.Work", "pool");
  pool.replicas = kCopies;
  pool.all_workers = multiprocess;
  m.connect("tasks.id", "pool.id");
  m.connect("tasks.seconds", "pool.seconds");
  m.connect("pool.record", "table.record");
  return m;
}

patchbay::Model round_robin(const std::string& stats) {
  patchbay::Model m = base(stats);
  m.add_component("loadbalance.RoundRobin", "deal", {{"ways", kCopies}});
  m.connect("tasks.id", "deal.id");
  m.connect("tasks.seconds", "deal.seconds");
  for (int k = 0; k < kCopies; ++k) {
    const std::string K = std::to_string(k);
    std::string w = "w";
    w += K;
    m.add_component("loadbalance.Work", w);
    m.connect("deal.id_" + K, w + ".id");
    m.connect("deal.seconds_" + K, w + ".seconds");
    m.connect(w + ".record", "table.record");
  }
  return m;
}

Figures run_once(const patchbay::Model& model, const std::string& stats, const std::string& what) {
  patchbay::RunReport report = patchbay::run(model);
  bench::check(report.ok, what + ": " + report.error);
  std::ifstream in(stats);
  bench::check(static_cast<bool>(in), what + ": no figures in " + stats);
  nlohmann::json j = nlohmann::json::parse(in);
  bench::check(j.at("tasks").get<int>() == 146 && j.at("lanes").get<int>() == kCopies,
               what + ": not every task ran, or not on 12 lanes: " + j.dump());
  std::filesystem::remove(stats);
  std::filesystem::remove(stats + ".svg");
  return {j.at("speedup").get<double>(), j.at("ideal_greedy").get<double>(), j.at("ideal_round_robin").get<double>()};
}

// The median of kRounds runs, by speedup.
Figures measure(const patchbay::Model& model, const std::string& stats, const std::string& what) {
  std::vector<double> speedups;
  Figures f;
  for (int i = 0; i < kRounds; ++i) {
    f = run_once(model, stats, what);
    speedups.push_back(f.speedup);
  }
  f.speedup = bench::median(speedups);
  return f;
}

}  // namespace

int main() {
  try {
    // Loaded here, as `patchbay --plugin` would: workers load what this process loaded.
    patchbay::PluginLoad plugin = patchbay::load_plugin(PATCHBAY_BENCH_LOADBALANCE_PLUGIN);
    bench::check(plugin.ok(), "plugin " + plugin.path + ": " + plugin.error);
    const std::string stats =
        (std::filesystem::temp_directory_path() / ("patchbay-bench-w7-" + std::to_string(::getpid()) + ".json")).string();
    Figures local = measure(replicas(stats, false), stats, "replicas, local");
    Figures multi = measure(replicas(stats, true), stats, "replicas, multiprocess");
    Figures rr = measure(round_robin(stats), stats, "round robin, local");
    bench::metric("w7_ideal_greedy_speedup", local.ideal_greedy, "x");
    bench::metric("w7_ideal_round_robin_speedup", local.ideal_round_robin, "x");
    bench::metric("w7_replicas_local_speedup", local.speedup, "x");
    bench::metric("w7_replicas_local_of_ideal", local.speedup / local.ideal_greedy, "ratio");
    bench::metric("w7_replicas_multiprocess_speedup", multi.speedup, "x");
    bench::metric("w7_replicas_multiprocess_of_ideal", multi.speedup / multi.ideal_greedy, "ratio");
    bench::metric("w7_round_robin_speedup", rr.speedup, "x");
    bench::metric("w7_round_robin_of_its_ideal", rr.speedup / rr.ideal_round_robin, "ratio");
    bench::metric("w7_replicas_over_round_robin", local.speedup / rr.speedup, "ratio");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_loadbalance: %s\n", e.what());
    return 1;
  }
  return 0;
}
