// bench_latency (W1-lat): one value bouncing between two components in a loop; the round
// trip's median and 99th percentile in microseconds, patchbay and oneTBB.
//
//   patchbay: builtin.Iterator (N ticks) ──> pinger.tick
//             pinger.out ──> pong (builtin.Passthrough) ──> pinger.back (initial value 0)
//             bench.Pinger steps when it holds a tick and the value that came back; each
//             step reads steady_clock and sends back + 1. The ticks are always there
//             ahead of time (the iterator runs ahead, 64 per channel), so the time
//             between two consecutive steps is one round trip through the pong.
//   oneTBB:   multifunction_node pinger (serial) ──> function_node pong (serial) ──> pinger
//             The pinger reads steady_clock and sends v + 1 until it has stepped N times.
//
// N = 20,000 steps give 19,999 round trips per run. Each figure is the median over
// kRounds runs of that run's median (or p99); runs alternate between the two.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <oneapi/tbb/flow_graph.h>
#include <patchbay/model.hpp>
#include <patchbay/patchbay.hpp>
#include <patchbay/process.hpp>

#include "../common/bench.hpp"

namespace {

constexpr std::int64_t kSteps = 20'000;
constexpr int kRounds = 5;

struct Trips {
  std::vector<bench::Clock::time_point> steps;  // when each step ran
  std::int64_t last_back = -1;                  // the last value that came back
};

bench::Board<Trips>& board() {
  static bench::Board<Trips> b;
  return b;
}

// Round trips in microseconds: the differences between consecutive steps.
std::vector<double> round_trips_us(const std::vector<bench::Clock::time_point>& steps) {
  std::vector<double> us;
  for (std::size_t i = 1; i < steps.size(); ++i)
    us.push_back(std::chrono::duration<double, std::micro>(steps[i] - steps[i - 1]).count());
  return us;
}

// --- patchbay ---------------------------------------------------------------------------

class Pinger : public patchbay::Component {
 public:
  patchbay::Param<std::string> key{this, "key", "latency", "where the step times are left (bench board)"};
  patchbay::Input<std::int64_t> tick{this, "tick"};
  patchbay::Input<std::int64_t> back{this, "back"};
  patchbay::Output<std::int64_t> out{this, "out"};

  explicit Pinger(const patchbay::Args& args) : Component(args) {}

  void init() override { trips_.steps.reserve(kSteps); }
  void step() override {
    trips_.steps.push_back(bench::Clock::now());
    trips_.last_back = *back;
    out = *back + 1;
  }
  void stop() override { board().put(*key, std::move(trips_)); }

 private:
  Trips trips_;
};

PATCHBAY_COMPONENT(Pinger, "bench.Pinger", "timestamps each step; sends back + 1 on out");

Trips patchbay_ping_pong() {
  patchbay::Model model;
  model.add_component("builtin.Iterator", "ticks", {{"iters", kSteps}});
  model.add_component("bench.Pinger", "ping", {{"key", "patchbay"}}).initial("back", {0});
  model.add_component("builtin.Passthrough", "pong");
  model.connect("ticks.x", "ping.tick");
  model.connect("ping.out", "pong.x");
  model.connect("pong.y", "ping.back");
  if (auto errors = patchbay::check_model(model); !errors.empty())
    throw std::runtime_error(patchbay::format_errors(errors));
  patchbay::RunReport report = patchbay::run(model);
  bench::check(report.ok, "patchbay run failed: " + report.error);
  Trips t = board().take("patchbay");
  bench::check(static_cast<std::int64_t>(t.steps.size()) == kSteps && t.last_back == kSteps - 1,
               "patchbay pinger stepped " + std::to_string(t.steps.size()) + " times, last value back " +
                   std::to_string(t.last_back) + ", expected " + std::to_string(kSteps) + " and " +
                   std::to_string(kSteps - 1));
  return t;
}

// --- oneTBB -----------------------------------------------------------------------------

Trips tbb_ping_pong() {
  namespace flow = oneapi::tbb::flow;
  using PingNode = flow::multifunction_node<std::int64_t, std::tuple<std::int64_t>>;
  Trips t;
  t.steps.reserve(kSteps);
  flow::graph g;
  PingNode ping(g, flow::serial, [&](std::int64_t v, PingNode::output_ports_type& ports) {
    t.steps.push_back(bench::Clock::now());
    t.last_back = v;
    if (static_cast<std::int64_t>(t.steps.size()) < kSteps) std::get<0>(ports).try_put(v + 1);
  });
  flow::function_node<std::int64_t, std::int64_t> pong(g, flow::serial, [](std::int64_t v) { return v; });
  flow::make_edge(flow::output_port<0>(ping), pong);
  flow::make_edge(pong, ping);
  ping.try_put(0);
  g.wait_for_all();
  bench::check(static_cast<std::int64_t>(t.steps.size()) == kSteps && t.last_back == kSteps - 1,
               "oneTBB pinger stepped " + std::to_string(t.steps.size()) + " times");
  return t;
}

}  // namespace

int main() {
  return bench::guarded_main("bench_latency", [] {
    std::vector<double> pb_median, pb_p99, tbb_median, tbb_p99;
    auto record = [](const Trips& t, std::vector<double>& med, std::vector<double>& p99) {
      std::vector<double> us = round_trips_us(t.steps);
      med.push_back(bench::median(us));
      p99.push_back(bench::percentile(us, 0.99));
    };
    bench::interleave(
        kRounds, [&] { record(patchbay_ping_pong(), pb_median, pb_p99); },
        [&] { record(tbb_ping_pong(), tbb_median, tbb_p99); });
    const double pm = bench::median(pb_median), tm = bench::median(tbb_median);
    const double pp = bench::median(pb_p99), tp = bench::median(tbb_p99);
    bench::metric("w1lat_patchbay_round_trip_median", pm, "us");
    bench::metric("w1lat_tbb_round_trip_median", tm, "us");
    bench::ratio_lower_is_better("w1lat_median", pm, tm);
    bench::metric("w1lat_patchbay_round_trip_p99", pp, "us");
    bench::metric("w1lat_tbb_round_trip_p99", tp, "us");
    bench::ratio_lower_is_better("w1lat_p99", pp, tp);
  });
}
