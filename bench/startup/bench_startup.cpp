// bench_startup (W10): start-up time and peak memory of a 10,000-component chain, and the
// memory per component, patchbay and oneTBB.
//
//   patchbay: builtin.Iterator (20 values) -> 9,998 x builtin.Passthrough -> builtin.Checksum
//             build = adding the components and connectors with the Model API,
//             run = patchbay::run, which checks the model while it builds each component
//             (once), moves the 20 values through and tears everything down. A separate
//             patchbay::check_model would build every component a second time.
//   oneTBB:   10,000 function_node<int64, int64>(serial) in a chain, the last summing
//             build = constructing the nodes and make_edge, run = try_put of 20 values
//             into the first node, wait_for_all, and destroying the graph.
//
// Every measurement runs in a child forked from this small process, which never runs a
// model or starts a TBB thread itself, so one measurement's memory does not leak into
// the next (on Linux a forked child's ru_maxrss starts from its own pages, not the
// parent's peak). The child reads its peak RSS (getrusage ru_maxrss) before building and
// after the run: the growth is what building, checking and running the model took at
// its peak, threads' stacks and first-touched library pages included. The same chain of
// 10 components gives the fixed cost, and (growth(10,000) - growth(10)) / 9,990 is the
// memory per component. Every figure is a median of kRounds children per size and side,
// interleaved.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <oneapi/tbb/flow_graph.h>
#include <patchbay/model.hpp>
#include <patchbay/process.hpp>

#include "../common/bench.hpp"

namespace {

constexpr int kLarge = 10'000;
constexpr int kSmall = 10;
constexpr std::int64_t kValues = 20;
constexpr std::int64_t kExpectedSum = kValues * (kValues - 1) / 2;
constexpr int kRounds = 3;

struct Sample {
  double build_ms = 0, run_ms = 0;
  long rss_before_kib = 0, rss_after_kib = 0;
};

double ms_between(bench::Clock::time_point a, bench::Clock::time_point b) {
  return bench::seconds_between(a, b) * 1e3;
}


// --- patchbay ---------------------------------------------------------------------------

Sample patchbay_chain(int components) {
  const auto checksum =
      std::filesystem::temp_directory_path() / ("patchbay-bench-startup-" + std::to_string(::getpid()) + ".json");
  Sample s;
  s.rss_before_kib = bench::peak_rss_kib();
  auto t0 = bench::Clock::now();
  patchbay::Model model;
  model.add_component("builtin.Iterator", "source", {{"iters", kValues}});
  std::string previous = "source.x";
  for (int i = 1; i <= components - 2; ++i) {
    std::string name = "pass-" + std::to_string(i);
    model.add_component("builtin.Passthrough", name);
    model.connect(previous, name + ".x");
    previous = name + ".y";
  }
  model.add_component("builtin.Checksum", "checksum", {{"path", checksum.string()}});
  model.connect(previous, "checksum.x");
  auto t1 = bench::Clock::now();
  patchbay::RunReport report = patchbay::run(model);  // throws ModelError if it does not check
  auto t2 = bench::Clock::now();
  s.rss_after_kib = bench::peak_rss_kib();
  bench::check(report.ok, "patchbay run failed: " + report.error);

  bench::check_checksum_file(checksum, kValues);
  s.build_ms = ms_between(t0, t1);
  s.run_ms = ms_between(t1, t2);
  return s;
}

// --- oneTBB -----------------------------------------------------------------------------

Sample tbb_chain(int components) {
  namespace flow = oneapi::tbb::flow;
  using Node = flow::function_node<std::int64_t, std::int64_t>;
  Sample s;
  std::int64_t count = 0, sum = 0;
  s.rss_before_kib = bench::peak_rss_kib();
  auto t0 = bench::Clock::now();
  bench::Clock::time_point t1;
  {
    flow::graph g;
    std::vector<std::unique_ptr<Node>> nodes;
    nodes.reserve(static_cast<std::size_t>(components));
    for (int i = 0; i < components - 1; ++i)
      nodes.push_back(std::make_unique<Node>(g, flow::serial, [](std::int64_t v) { return v; }));
    nodes.push_back(std::make_unique<Node>(g, flow::serial, [&](std::int64_t v) {
      sum += v;
      ++count;
      return v;
    }));
    for (std::size_t i = 1; i < nodes.size(); ++i) flow::make_edge(*nodes[i - 1], *nodes[i]);
    t1 = bench::Clock::now();
    for (std::int64_t v = 0; v < kValues; ++v) nodes.front()->try_put(v);
    g.wait_for_all();
  }
  auto t2 = bench::Clock::now();
  s.rss_after_kib = bench::peak_rss_kib();
  bench::check(count == kValues && sum == kExpectedSum, "oneTBB chain lost values");
  s.build_ms = ms_between(t0, t1);
  s.run_ms = ms_between(t1, t2);
  return s;
}

}  // namespace

int main() {
  return bench::guarded_main("bench_startup", [] {
    std::vector<Sample> pb_large, pb_small, tbb_large, tbb_small;
    for (int round = 0; round < kRounds; ++round) {
      auto pb = [&] {
        pb_large.push_back(bench::in_child<Sample>("bench_startup", [] { return patchbay_chain(kLarge); }));
        pb_small.push_back(bench::in_child<Sample>("bench_startup", [] { return patchbay_chain(kSmall); }));
      };
      auto tbb = [&] {
        tbb_large.push_back(bench::in_child<Sample>("bench_startup", [] { return tbb_chain(kLarge); }));
        tbb_small.push_back(bench::in_child<Sample>("bench_startup", [] { return tbb_chain(kSmall); }));
      };
      if (round % 2 == 0) {
        pb();
        tbb();
      } else {
        tbb();
        pb();
      }
    }
    auto med = [](const std::vector<Sample>& v, auto field) {
      std::vector<double> x;
      for (const auto& s : v) x.push_back(static_cast<double>(field(s)));
      return bench::median(x);
    };
    auto build = [](const Sample& s) { return s.build_ms; };
    auto run = [](const Sample& s) { return s.run_ms; };
    auto total = [](const Sample& s) { return s.build_ms + s.run_ms; };
    auto growth = [](const Sample& s) { return s.rss_after_kib - s.rss_before_kib; };
    const double per = kLarge - kSmall;

    bench::metric("w10_patchbay_build", med(pb_large, build), "ms");
    bench::metric("w10_patchbay_run", med(pb_large, run), "ms");
    bench::metric("w10_patchbay_startup_total", med(pb_large, total), "ms");
    bench::metric("w10_tbb_build", med(tbb_large, build), "ms");
    bench::metric("w10_tbb_run", med(tbb_large, run), "ms");
    bench::metric("w10_tbb_startup_total", med(tbb_large, total), "ms");
    bench::ratio_lower_is_better("w10_startup_total", med(pb_large, total), med(tbb_large, total));

    const double pb_per = (med(pb_large, growth) - med(pb_small, growth)) * 1024 / per;
    const double tbb_per = (med(tbb_large, growth) - med(tbb_small, growth)) * 1024 / per;
    bench::metric("w10_patchbay_peak_rss_growth", med(pb_large, growth) / 1024, "MiB");
    bench::metric("w10_patchbay_peak_rss_growth_10_components", med(pb_small, growth) / 1024, "MiB");
    bench::metric("w10_tbb_peak_rss_growth", med(tbb_large, growth) / 1024, "MiB");
    bench::metric("w10_tbb_peak_rss_growth_10_nodes", med(tbb_small, growth) / 1024, "MiB");
    bench::metric("w10_patchbay_memory_per_component", pb_per, "bytes");
    bench::metric("w10_tbb_memory_per_node", tbb_per, "bytes");
    bench::ratio_lower_is_better("w10_memory_per_component", pb_per, tbb_per);
  });
}
