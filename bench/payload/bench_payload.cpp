// bench_payload (W3): 100 values of 4 MiB each (std::vector<double> of 512 Ki elements)
// through one hop; total time, patchbay and oneTBB.
//
// The vector is built once, before anything is timed, and held in a
// std::shared_ptr<const std::vector<double>>. Each side sends that same vector 100 times
// and the sink checks that what arrives is that vector (same data pointer, same size).
//
//   patchbay: bench.BufferSource ──> bench.BufferSink, ports typed std::vector<double>.
//             The source sends with Output<T>::send(std::shared_ptr<const T>), which puts
//             the shared vector in the payload as it is (Payload::share): nothing is
//             copied, and the sink's Input<T> reads the same object. (Assigning a
//             std::vector<double> to the output, `x = vec;`, would copy 4 MiB into a new
//             shared box on every send.) w3_patchbay_zero_copy is 1 when every value the
//             sink saw was the source's vector.
//   oneTBB:   input_node<shared_ptr<const vector<double>>> ──> function_node(serial).
//
// `_total` is the time from the source's first send to the sink's last receive (the 100
// values moving); `_run` is the whole call (patchbay::run, or building the TBB graph to
// destroying it), so it includes starting and stopping, which `_run_until_first_send`
// and `_run_after_last_receive` show apart. Medians of kRounds.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <oneapi/tbb/flow_graph.h>
#include <patchbay/model.hpp>
#include <patchbay/patchbay.hpp>
#include <patchbay/process.hpp>

#include "../common/bench.hpp"

namespace {

using Buffer = std::vector<double>;
using SharedBuffer = std::shared_ptr<const Buffer>;

constexpr std::int64_t kValues = 100;
constexpr std::size_t kElements = 512 * 1024;  // 4 MiB of doubles
constexpr int kRounds = 5;

struct Transfer {
  bench::Clock::time_point first_send, last_receive;
  std::int64_t received = 0;
  std::int64_t same_object = 0;  // values whose data pointer was the source's
  bool sizes_ok = true;
};

// The one buffer every value shares, built before any timing.
const SharedBuffer& the_buffer() {
  static const SharedBuffer buffer = [] {
    auto b = std::make_shared<Buffer>(kElements);
    for (std::size_t i = 0; i < kElements; ++i) (*b)[i] = static_cast<double>(i);
    return SharedBuffer(std::move(b));
  }();
  return buffer;
}

bench::Board<Transfer>& board() {
  static bench::Board<Transfer> b;
  return b;
}

void receive(Transfer& t, const Buffer& v) {
  t.last_receive = bench::Clock::now();
  ++t.received;
  if (v.data() == the_buffer()->data()) ++t.same_object;
  if (v.size() != kElements || v.back() != static_cast<double>(kElements - 1)) t.sizes_ok = false;
}

// --- patchbay ---------------------------------------------------------------------------

bench::Clock::time_point g_first_send;  // written by the source's first step, read after the run

class BufferSource : public patchbay::Component {
 public:
  patchbay::Param<std::int64_t> count{this, "count", kValues, "how many times to send the buffer"};
  patchbay::Output<Buffer> x{this, "x"};

  explicit BufferSource(const patchbay::Args& args) : Component(args) {}

  void init() override { buffer_ = the_buffer(); }
  void step() override {
    if (sent_ == 0) g_first_send = bench::Clock::now();
    x.send(buffer_);  // shares the vector (Payload::share): no copy
    if (++sent_ == *count) close();
  }

 private:
  SharedBuffer buffer_;
  std::int64_t sent_ = 0;
};

class BufferSink : public patchbay::Component {
 public:
  patchbay::Param<std::string> key{this, "key", "payload", "where the result is left (bench board)"};
  patchbay::Input<Buffer> x{this, "x"};

  explicit BufferSink(const patchbay::Args& args) : Component(args) {}

  void step() override { receive(t_, *x); }
  void stop() override { board().put(*key, t_); }

 private:
  Transfer t_;
};

PATCHBAY_COMPONENT(BufferSource, "bench.BufferSource", "sends one shared 4 MiB vector count times");
PATCHBAY_COMPONENT(BufferSink, "bench.BufferSink", "checks each vector is the shared one");

struct Times {
  double total, run, start, finish;
};

Times patchbay_payload(bool& zero_copy) {
  patchbay::Model model;
  model.add_component("bench.BufferSource", "source", {{"count", kValues}});
  model.add_component("bench.BufferSink", "sink", {{"key", "patchbay"}});
  model.connect("source.x", "sink.x");
  if (auto errors = patchbay::check_model(model); !errors.empty())
    throw std::runtime_error(patchbay::format_errors(errors));

  auto start = bench::Clock::now();
  patchbay::RunReport report = patchbay::run(model);
  auto end = bench::Clock::now();
  bench::check(report.ok, "patchbay run failed: " + report.error);
  Transfer t = board().take("patchbay");
  bench::check(t.received == kValues && t.sizes_ok,
               "patchbay sink got " + std::to_string(t.received) + " values" + (t.sizes_ok ? "" : ", wrong sizes"));
  zero_copy = zero_copy && t.same_object == kValues;
  return {bench::seconds_between(g_first_send, t.last_receive), bench::seconds_between(start, end),
          bench::seconds_between(start, g_first_send), bench::seconds_between(t.last_receive, end)};
}

// --- oneTBB -----------------------------------------------------------------------------

Times tbb_payload() {
  namespace flow = oneapi::tbb::flow;
  Transfer t;
  auto start = bench::Clock::now();
  {
    flow::graph g;
    std::int64_t sent = 0;
    const SharedBuffer buffer = the_buffer();
    flow::input_node<SharedBuffer> source(g, [&](oneapi::tbb::flow_control& fc) -> SharedBuffer {
      if (sent == kValues) {
        fc.stop();
        return nullptr;
      }
      if (sent++ == 0) t.first_send = bench::Clock::now();
      return buffer;
    });
    flow::function_node<SharedBuffer> sink(g, flow::serial, [&](const SharedBuffer& v) {
      receive(t, *v);
      return flow::continue_msg();
    });
    flow::make_edge(source, sink);
    source.activate();
    g.wait_for_all();
  }
  auto end = bench::Clock::now();
  bench::check(t.received == kValues && t.sizes_ok && t.same_object == kValues,
               "oneTBB sink got " + std::to_string(t.received) + " values, " + std::to_string(t.same_object) +
                   " of them the shared buffer");
  return {bench::seconds_between(t.first_send, t.last_receive), bench::seconds_between(start, end),
          bench::seconds_between(start, t.first_send), bench::seconds_between(t.last_receive, end)};
}

}  // namespace

int main() {
  return bench::guarded_main("bench_payload", [] {
    the_buffer();  // allocated and filled before anything is timed
    std::vector<Times> pb, tbb;
    bool zero_copy = true;
    bench::interleave(
        kRounds, [&] { pb.push_back(patchbay_payload(zero_copy)); }, [&] { tbb.push_back(tbb_payload()); });
    auto ms = [](const std::vector<Times>& v, double Times::*field) {
      std::vector<double> x;
      for (const Times& t : v) x.push_back(t.*field * 1e3);
      return bench::median(x);
    };
    bench::metric_count("w3_patchbay_zero_copy", zero_copy ? 1 : 0, "bool");
    bench::metric("w3_patchbay_total", ms(pb, &Times::total), "ms");
    bench::metric("w3_tbb_total", ms(tbb, &Times::total), "ms");
    bench::ratio_lower_is_better("w3_total", ms(pb, &Times::total), ms(tbb, &Times::total));
    bench::metric("w3_patchbay_run", ms(pb, &Times::run), "ms");
    bench::metric("w3_tbb_run", ms(tbb, &Times::run), "ms");
    bench::ratio_lower_is_better("w3_run", ms(pb, &Times::run), ms(tbb, &Times::run));
    // Where the rest of _run goes: before the first send, and after the last receive.
    bench::metric("w3_patchbay_run_until_first_send", ms(pb, &Times::start), "ms");
    bench::metric("w3_tbb_run_until_first_send", ms(tbb, &Times::start), "ms");
    bench::metric("w3_patchbay_run_after_last_receive", ms(pb, &Times::finish), "ms");
    bench::metric("w3_tbb_run_after_last_receive", ms(tbb, &Times::finish), "ms");
  });
}
