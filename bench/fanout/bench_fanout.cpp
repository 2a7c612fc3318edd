// bench_fanout (W2): a source fanned out to two branches and joined again into one sink,
// 1,000,000 int64 values; values per second end to end, patchbay and oneTBB.
//
//   patchbay:                 ┌─> left  (builtin.Passthrough) ─> sink.a
//             source.x ───────┤                                          bench.PairSink
//      (builtin.Iterator)     └─> right (builtin.Passthrough) ─> sink.b
//             One output feeding two connectors sends every value to both; bench.PairSink
//             steps when a and b both hold a value, checks a == b == the next expected
//             value, and sums.
//   oneTBB:   input_node -> broadcast_node -> two function_node(serial) ->
//             join_node<tuple<int64, int64>, queueing> -> function_node(serial) summing.
//
// Both times cover building the graph, moving every value and tearing the graph down.
// Each figure is the median of kRounds; bench::interleave alternates the two sides.
#include <cstdint>
#include <string>
#include <tuple>

#include <oneapi/tbb/flow_graph.h>
#include <patchbay/model.hpp>
#include <patchbay/patchbay.hpp>
#include <patchbay/process.hpp>

#include "../common/bench.hpp"

namespace {

constexpr std::int64_t kValues = 1'000'000;
constexpr std::int64_t kExpectedSum = kValues * (kValues - 1) / 2;
constexpr int kRounds = 5;

struct PairResult {
  std::int64_t count = 0, sum_a = 0, sum_b = 0;
  bool matched = true;  // a == b == previous + 1 at every step
};

bench::Board<PairResult>& board() {
  static bench::Board<PairResult> b;
  return b;
}

// --- patchbay ---------------------------------------------------------------------------

class PairSink : public patchbay::Component {
 public:
  patchbay::Param<std::string> key{this, "key", "fanout", "where the result is left (bench board)"};
  patchbay::Input<std::int64_t> a{this, "a"};
  patchbay::Input<std::int64_t> b{this, "b"};

  explicit PairSink(const patchbay::Args& args) : Component(args) {}

  void step() override {
    const std::int64_t va = *a, vb = *b;
    if (va != vb || va != r_.count) r_.matched = false;
    r_.sum_a += va;
    r_.sum_b += vb;
    ++r_.count;
  }
  void stop() override { board().put(*key, r_); }

 private:
  PairResult r_;
};

PATCHBAY_COMPONENT(PairSink, "bench.PairSink", "joins a and b, checks they match and sums them");

double patchbay_fanout() {
  patchbay::Model model;
  model.add_component("builtin.Iterator", "source", {{"iters", kValues}});
  model.add_component("builtin.Passthrough", "left");
  model.add_component("builtin.Passthrough", "right");
  model.add_component("bench.PairSink", "sink", {{"key", "patchbay"}});
  model.connect("source.x", "left.x");
  model.connect("source.x", "right.x");
  model.connect("left.y", "sink.a");
  model.connect("right.y", "sink.b");
  if (auto errors = patchbay::check_model(model); !errors.empty())
    throw std::runtime_error(patchbay::format_errors(errors));

  auto start = bench::Clock::now();
  patchbay::RunReport report = patchbay::run(model);
  double elapsed = bench::seconds_since(start);
  bench::check(report.ok, "patchbay run failed: " + report.error);
  PairResult r = board().take("patchbay");
  bench::check(r.count == kValues && r.matched && r.sum_a == kExpectedSum && r.sum_b == kExpectedSum,
               "patchbay pair sink got count " + std::to_string(r.count) + ", sums " + std::to_string(r.sum_a) +
                   " and " + std::to_string(r.sum_b) + (r.matched ? "" : ", mismatched pairs"));
  return elapsed;
}

// --- oneTBB -----------------------------------------------------------------------------

double tbb_fanout() {
  namespace flow = oneapi::tbb::flow;
  using Pair = std::tuple<std::int64_t, std::int64_t>;
  PairResult r;

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
    flow::broadcast_node<std::int64_t> fan(g);
    flow::function_node<std::int64_t, std::int64_t> left(g, flow::serial, [](std::int64_t v) { return v; });
    flow::function_node<std::int64_t, std::int64_t> right(g, flow::serial, [](std::int64_t v) { return v; });
    flow::join_node<Pair, flow::queueing> join(g);
    flow::function_node<Pair> sink(g, flow::serial, [&](const Pair& p) {
      r.sum_a += std::get<0>(p);
      r.sum_b += std::get<1>(p);
      ++r.count;
      return flow::continue_msg();
    });
    flow::make_edge(source, fan);
    flow::make_edge(fan, left);
    flow::make_edge(fan, right);
    flow::make_edge(left, flow::input_port<0>(join));
    flow::make_edge(right, flow::input_port<1>(join));
    flow::make_edge(join, sink);
    source.activate();
    g.wait_for_all();
  }
  double elapsed = bench::seconds_since(start);
  // A queueing join pairs values in arrival order per port; only totals are checked here.
  bench::check(r.count == kValues && r.sum_a == kExpectedSum && r.sum_b == kExpectedSum,
               "oneTBB sink got count " + std::to_string(r.count) + ", sums " + std::to_string(r.sum_a) + " and " +
                   std::to_string(r.sum_b));
  return elapsed;
}

}  // namespace

int main() {
  return bench::guarded_main("bench_fanout", [] {
    std::vector<double> pb, tbb;
    bench::interleave(
        kRounds, [&] { pb.push_back(patchbay_fanout()); }, [&] { tbb.push_back(tbb_fanout()); });
    const double pb_rate = static_cast<double>(kValues) / bench::median(pb);
    const double tbb_rate = static_cast<double>(kValues) / bench::median(tbb);
    bench::metric("w2_patchbay_rate", pb_rate, "values/s");
    bench::metric("w2_tbb_rate", tbb_rate, "values/s");
    bench::ratio_higher_is_better("w2_rate", pb_rate, tbb_rate);
  });
}
