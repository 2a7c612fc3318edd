// bench_chain (W1): 2,000,000 int64 values through a chain of K pass-through stages into a
// summing sink, K = 1 and K = 4; values per second end to end, patchbay and oneTBB.
//
//   patchbay: builtin.Iterator -> K x builtin.Passthrough -> builtin.Checksum
//             built with the Model API and run by patchbay::run (local process, default
//             threads: one per core). The checksum file must say count N, the right sum
//             and ordered true.
//   oneTBB:   input_node<int64> -> K x function_node<int64, int64>(serial) ->
//             function_node<int64>(serial) summing, then graph::wait_for_all. The sink's
//             count and sum must be right.
//
// Both times cover building the graph, moving every value and tearing the graph down.
// Each figure is the median of kRounds; bench::interleave alternates the two sides.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <oneapi/tbb/flow_graph.h>
#include <patchbay/model.hpp>
#include <patchbay/process.hpp>

#include "../common/bench.hpp"

namespace {

constexpr std::int64_t kValues = 2'000'000;
constexpr std::int64_t kExpectedSum = kValues * (kValues - 1) / 2;
constexpr int kRounds = 5;

// --- patchbay ---------------------------------------------------------------------------

double patchbay_chain(int stages, const std::filesystem::path& checksum_path) {
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

  auto start = bench::Clock::now();
  patchbay::RunReport report = patchbay::run(model);
  double elapsed = bench::seconds_since(start);
  bench::check(report.ok, "patchbay run failed: " + report.error);

  bench::check_checksum_file(checksum_path, kValues);
  return elapsed;
}

// --- oneTBB -----------------------------------------------------------------------------

double tbb_chain(int stages) {
  namespace flow = oneapi::tbb::flow;
  std::int64_t count = 0, sum = 0;

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
    std::vector<std::unique_ptr<flow::function_node<std::int64_t, std::int64_t>>> pass;
    for (int i = 0; i < stages; ++i)
      pass.push_back(std::make_unique<flow::function_node<std::int64_t, std::int64_t>>(
          g, flow::serial, [](std::int64_t v) { return v; }));
    flow::function_node<std::int64_t> sink(g, flow::serial, [&](std::int64_t v) {
      sum += v;
      ++count;
      return flow::continue_msg();
    });
    flow::make_edge(source, *pass.front());
    for (std::size_t i = 1; i < pass.size(); ++i) flow::make_edge(*pass[i - 1], *pass[i]);
    flow::make_edge(*pass.back(), sink);
    source.activate();
    g.wait_for_all();
  }
  double elapsed = bench::seconds_since(start);
  bench::check(count == kValues && sum == kExpectedSum,
               "oneTBB sink got count " + std::to_string(count) + ", sum " + std::to_string(sum) + ", expected " +
                   std::to_string(kValues) + ", " + std::to_string(kExpectedSum));
  return elapsed;
}

}  // namespace

int main() {
  return bench::guarded_main("bench_chain", [] {
    const auto checksum =
        std::filesystem::temp_directory_path() / ("patchbay-bench-chain-" + std::to_string(::getpid()) + ".json");
    for (int stages : {1, 4}) {
      std::vector<double> pb, tbb;
      bench::interleave(
          kRounds, [&] { pb.push_back(patchbay_chain(stages, checksum)); }, [&] { tbb.push_back(tbb_chain(stages)); });
      const std::string w = "w1_k" + std::to_string(stages);
      const double pb_rate = static_cast<double>(kValues) / bench::median(pb);
      const double tbb_rate = static_cast<double>(kValues) / bench::median(tbb);
      bench::metric(w + "_patchbay_rate", pb_rate, "values/s");
      bench::metric(w + "_tbb_rate", tbb_rate, "values/s");
      bench::ratio_higher_is_better(w + "_rate", pb_rate, tbb_rate);
    }
  });
}
