// What users rely on when a model runs in one process: order, fan-out and fan-in, filters,
// feedback loops, close propagation with leftovers counted, failures and stops that end
// the run cleanly, stalls reported instead of waited on, and big models.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include <patchbay/model_yaml.hpp>
#include <patchbay/patchbay.hpp>
#include <patchbay/process.hpp>

#include "support.hpp"

using namespace patchbay;
using patchbay::test::read_file;
using patchbay::test::TempDir;

namespace {

// Where test sinks put what they received, by component name.
struct Received {
  std::mutex mutex;
  std::map<std::string, std::vector<std::int64_t>> values;
  std::map<std::string, std::vector<const void*>> addresses;
  std::vector<std::int64_t> take(const std::string& name) {
    std::lock_guard lock(mutex);
    return values[name];
  }
};
Received received;

class Collect : public Component {
 public:
  Input<std::int64_t> x{this, "x"};
  explicit Collect(const Args& a) : Component(a) {}
  void step() override {
    std::lock_guard lock(received.mutex);
    received.values[name()].push_back(*x);
  }
};
PATCHBAY_COMPONENT(Collect, "test.Collect", "records int64 values");

class Emit : public Component {
 public:
  Param<std::vector<std::int64_t>> values{this, "values", std::vector<std::int64_t>{}, "values to send"};
  Output<std::int64_t> y{this, "y"};
  explicit Emit(const Args& a) : Component(a) {}
  void step() override {
    if (i_ < values->size()) y = (*values)[i_++];
    if (i_ == values->size()) close();
  }

 private:
  std::size_t i_ = 0;
};
PATCHBAY_COMPONENT(Emit, "test.Emit", "sends the given values, then closes");

class EvenOnly : public Component {
 public:
  Input<std::int64_t> x{this, "x"};
  Output<std::int64_t> y{this, "y"};
  explicit EvenOnly(const Args& a) : Component(a) {}
  void step() override {
    if (*x % 2 == 0) y = *x;
  }
};
PATCHBAY_COMPONENT(EvenOnly, "test.EvenOnly", "passes even values only");

class DropAll : public Component {
 public:
  Input<std::int64_t> x{this, "x"};
  Output<std::int64_t> y{this, "y"};
  explicit DropAll(const Args& a) : Component(a) {}
  void step() override {}
};
PATCHBAY_COMPONENT(DropAll, "test.DropAll", "sends nothing");

class Accumulate : public Component {
 public:
  Input<std::int64_t> x{this, "x"};
  Input<std::int64_t> fb{this, "fb"};
  Output<std::int64_t> total{this, "total"};
  explicit Accumulate(const Args& a) : Component(a) {}
  void step() override { total = *x + *fb; }
};
PATCHBAY_COMPONENT(Accumulate, "test.Accumulate", "total = x + fb");

class FailAt : public Component {
 public:
  Param<std::int64_t> at{this, "at", 1, "step that throws"};
  Input<std::int64_t> x{this, "x"};
  Output<std::int64_t> y{this, "y"};
  explicit FailAt(const Args& a) : Component(a) {}
  void step() override {
    if (++steps_ == *at) throw std::runtime_error("boom at " + std::to_string(steps_));
    y = *x;
  }

 private:
  std::int64_t steps_ = 0;
};
PATCHBAY_COMPONENT(FailAt, "test.FailAt", "throws at a given step");

class VectorSource : public Component {
 public:
  Output<std::vector<double>> y{this, "y"};
  explicit VectorSource(const Args& a) : Component(a) {}
  void step() override {
    y = std::vector<double>(1 << 20, 2.0);
    close();
  }
};
PATCHBAY_COMPONENT(VectorSource, "test.VectorSource", "sends one 8 MB vector");

class VectorSink : public Component {
 public:
  Input<std::vector<double>> x{this, "x"};
  explicit VectorSink(const Args& a) : Component(a) {}
  void step() override {
    std::lock_guard lock(received.mutex);
    received.addresses[name()].push_back(x->data());
  }
};
PATCHBAY_COMPONENT(VectorSink, "test.VectorSink", "records where vectors live");

class ValueSink : public Component {
 public:
  Input<Value> x{this, "x"};
  explicit ValueSink(const Args& a) : Component(a) {}
  void step() override {
    std::lock_guard lock(received.mutex);
    received.values[name()].push_back(x->as_int());
  }
};
PATCHBAY_COMPONENT(ValueSink, "test.ValueSink", "records Values holding integers");

class ArrivalClock : public Component {
 public:
  Input<std::string> x{this, "x"};
  explicit ArrivalClock(const Args& a) : Component(a) {}
  void step() override {
    auto now = std::chrono::steady_clock::now().time_since_epoch();
    std::lock_guard lock(received.mutex);
    received.values[name()].push_back(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  }
};
PATCHBAY_COMPONENT(ArrivalClock, "test.ArrivalClock", "records when each value arrived (ms)");

class SlowStart : public Component {
 public:
  Output<std::int64_t> y{this, "y"};
  explicit SlowStart(const Args& a) : Component(a) {}
  void init() override { sleep_for(std::chrono::seconds(60)); }
  void step() override { close(); }
};
PATCHBAY_COMPONENT(SlowStart, "test.SlowStart", "sleeps a minute in init()");

class ThrowsOddly : public Component {
 public:
  Input<std::int64_t> x{this, "x"};
  explicit ThrowsOddly(const Args& a) : Component(a) {}
  void step() override {}
  void stop() override { throw 42; }
};
PATCHBAY_COMPONENT(ThrowsOddly, "test.ThrowsOddly", "throws a non-exception from stop()");

RunReport run_checked(const Model& m, RunOptions options = {}) {
  auto errors = check_model(m);
  REQUIRE_MESSAGE(errors.empty(), format_errors(errors));
  return run(m, options);
}

const ComponentReport& component(const RunReport& r, const std::string& name) {
  for (const auto& c : r.components)
    if (c.name == name) return c;
  FAIL("no component " << name);
  throw std::logic_error("unreachable");
}

std::uint64_t left_over(const ComponentReport& c, const std::string& port) {
  for (const auto& [p, n] : c.left_over)
    if (p == port) return n;
  return 0;
}

}  // namespace

TEST_CASE("a chain delivers every value once, in order") {
  Model m;
  m.add_component("builtin.Iterator", "src", {{"iters", 1000}});
  m.add_component("builtin.Passthrough", "p");
  m.add_component("test.Collect", "chain-sink");
  m.connect("src.x", "p.x");
  m.connect("p.y", "chain-sink.x");
  auto r = run_checked(m);
  CHECK_MESSAGE(r.ok, r.error);
  auto got = received.take("chain-sink");
  REQUIRE(got.size() == 1000);
  for (std::int64_t i = 0; i < 1000; ++i) CHECK(got[static_cast<std::size_t>(i)] == i);
  CHECK(component(r, "src").status == Status::completed);
  CHECK(component(r, "chain-sink").steps == 1000);
}

TEST_CASE("fan-out gives every value to every connector without copying large values") {
  Model m;
  m.add_component("test.VectorSource", "vs");
  m.add_component("test.VectorSink", "vs-a");
  m.add_component("test.VectorSink", "vs-b");
  m.connect("vs.y", "vs-a.x");
  m.connect("vs.y", "vs-b.x");
  m.add_component("builtin.Iterator", "it", {{"iters", 50}});
  m.add_component("test.Collect", "fan-1");
  m.add_component("test.Collect", "fan-2");
  m.connect("it.x", "fan-1.x");
  m.connect("it.x", "fan-2.x");
  auto r = run_checked(m);
  CHECK_MESSAGE(r.ok, r.error);
  CHECK(received.take("fan-1") == received.take("fan-2"));
  CHECK(received.take("fan-1").size() == 50);
  std::lock_guard lock(received.mutex);
  REQUIRE(received.addresses["vs-a"].size() == 1);
  REQUIRE(received.addresses["vs-b"].size() == 1);
  CHECK(received.addresses["vs-a"][0] == received.addresses["vs-b"][0]);
}

TEST_CASE("fan-in merges every connector and keeps each one's order") {
  Model m;
  m.add_component("test.Emit", "odd", {{"values", Value::array({1, 3, 5, 7, 9})}});
  m.add_component("test.Emit", "even", {{"values", Value::array({0, 2, 4, 6, 8, 10, 12})}});
  m.add_component("test.Collect", "merged");
  m.connect("odd.y", "merged.x");
  m.connect("even.y", "merged.x");
  auto r = run_checked(m);
  CHECK_MESSAGE(r.ok, r.error);
  auto got = received.take("merged");
  CHECK(got.size() == 12);
  std::vector<std::int64_t> odd, even;
  for (auto v : got) (v % 2 ? odd : even).push_back(v);
  CHECK(odd == std::vector<std::int64_t>{1, 3, 5, 7, 9});
  CHECK(even == std::vector<std::int64_t>{0, 2, 4, 6, 8, 10, 12});
}

TEST_CASE("an output left unassigned sends nothing that step") {
  Model m;
  m.add_component("builtin.Iterator", "src", {{"iters", 10}});
  m.add_component("test.EvenOnly", "filter");
  m.add_component("test.Collect", "evens");
  m.connect("src.x", "filter.x");
  m.connect("filter.y", "evens.x");
  auto r = run_checked(m);
  CHECK_MESSAGE(r.ok, r.error);
  CHECK(received.take("evens") == std::vector<std::int64_t>{0, 2, 4, 6, 8});
}

TEST_CASE("initial values start a feedback loop and what is left on the loop is reported") {
  Model m;
  m.add_component("builtin.Iterator", "src", {{"iters", 5}});
  m.add_component("test.Accumulate", "acc").initial("fb", {Value(100)});
  m.add_component("test.Collect", "totals");
  m.connect("src.x", "acc.x");
  m.connect("acc.total", "acc.fb");
  m.connect("acc.total", "totals.x");
  auto r = run_checked(m);
  CHECK_MESSAGE(r.ok, r.error);
  CHECK(received.take("totals") == std::vector<std::int64_t>{100, 101, 103, 106, 110});
  CHECK(left_over(component(r, "acc"), "fb") == 1);
}

TEST_CASE("close flows downstream and values left on other inputs are counted") {
  Model m;
  m.add_component("builtin.Iterator", "five", {{"iters", 5}});
  m.add_component("builtin.Iterator", "three", {{"iters", 3}});
  m.add_component("builtin.Add", "add");
  m.add_component("builtin.Printer", "print", {{"prefix", "sum "}});
  m.connect("five.x", "add.a");
  m.connect("three.x", "add.b");
  m.connect("add.sum", "print.x");
  auto r = run_checked(m);
  CHECK_MESSAGE(r.ok, r.error);
  CHECK(component(r, "add").steps == 3);
  CHECK(left_over(component(r, "add"), "a") == 2);
  CHECK(r.total_left_over() == 2);
  for (const auto& c : r.components) CHECK(c.status == Status::completed);
}

TEST_CASE("values left over are counted on the input they were waiting on") {
  // a and b hold a value each (taken, waiting for c) when c runs out after three steps.
  Model m;
  m.add_component("builtin.Iterator", "five-a", {{"iters", 5}});
  m.add_component("builtin.Iterator", "five-b", {{"iters", 5}});
  m.add_component("builtin.Iterator", "three", {{"iters", 3}});
  m.add_component("builtin.Timestamper", "join", {{"inputs", Value::array({"a", "b", "c"})}});
  m.add_component("builtin.Printer", "print");
  m.connect("five-a.x", "join.a");
  m.connect("five-b.x", "join.b");
  m.connect("three.x", "join.c");
  m.connect("join.timestamp", "print.x");
  auto r = run_checked(m);
  CHECK_MESSAGE(r.ok, r.error);
  CHECK(component(r, "join").steps == 3);
  CHECK(left_over(component(r, "join"), "a") == 2);
  CHECK(left_over(component(r, "join"), "b") == 2);
  CHECK(left_over(component(r, "join"), "c") == 0);
}

TEST_CASE("a typed output feeds a Value input by converting") {
  Model m;
  m.add_component("builtin.Iterator", "src", {{"iters", 3}, {"start", 7}});
  m.add_component("test.ValueSink", "values");
  m.connect("src.x", "values.x");
  auto r = run_checked(m);
  CHECK_MESSAGE(r.ok, r.error);
  CHECK(received.take("values") == std::vector<std::int64_t>{7, 8, 9});
}

TEST_CASE("an exception in a step stops the run and names the component, step and message") {
  TempDir dir;
  Model m;
  m.add_component("builtin.Iterator", "src", {{"iters", 100000}});
  m.add_component("test.FailAt", "fragile", {{"at", 5}});
  m.add_component("builtin.FileWriter", "out", {{"path", (dir / "out.csv").string()}});
  m.connect("src.x", "fragile.x");
  m.connect("fragile.y", "out.x");
  auto r = run_checked(m);
  CHECK_FALSE(r.ok);
  CHECK(r.error == "component 'fragile' failed at step 5: boom at 5");
  CHECK(component(r, "fragile").status == Status::failed);
  // The sink was stopped and its file flushed. It may not have written all four values
  // sent before the failure, but those it did not write are counted, not lost.
  std::string written = read_file(dir / "out.csv");
  CHECK(std::string("x\n0\n1\n2\n3\n").rfind(written, 0) == 0);
  CHECK(written.back() == '\n');
  const auto& out = component(r, "out");
  CHECK(out.steps + left_over(out, "x") == 4);
  CHECK(component(r, "fragile").values_out == 4);
}

TEST_CASE("a failure in init() is reported and nothing runs") {
  Model m;
  m.add_component("builtin.Iterator", "src", {{"iters", 3}});
  m.add_component("builtin.FileWriter", "out", {{"path", "/nonexistent-dir/out.csv"}});
  m.connect("src.x", "out.x");
  auto r = run_checked(m);
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("component 'out' failed in init(): cannot write '/nonexistent-dir/out.csv'") == 0);
}

TEST_CASE("a model that can make no progress is reported, not waited on") {
  // The loop's filter drops everything, so acc waits on fb forever while src fills up.
  Model m;
  m.add_component("builtin.Iterator", "src", {{"iters", 100000}});
  m.add_component("test.Accumulate", "acc").initial("fb", {Value(0)});
  m.add_component("test.DropAll", "drop");
  m.connect("src.x", "acc.x");
  m.connect("acc.total", "drop.x");
  m.connect("drop.y", "acc.fb");
  auto r = run_checked(m);
  CHECK_FALSE(r.ok);
  CHECK(r.stalled);
  CHECK_MESSAGE(r.error.find("no component can make progress") == 0, r.error);
  CHECK_MESSAGE(r.error.find("'acc' waits for input fb") != std::string::npos, r.error);
}

TEST_CASE("request_stop ends a run cleanly with sinks flushed") {
  TempDir dir;
  Model m;
  m.add_component("builtin.Iterator", "src", {{"iters", 1000}});
  m.add_component("builtin.Sleep", "slow", {{"seconds", 0.05}});
  m.add_component("builtin.FileWriter", "out", {{"path", (dir / "out.csv").string()}});
  m.connect("src.x", "slow.x");
  m.connect("slow.y", "out.x");
  auto process = make_process(m);
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    process->request_stop();
  });
  auto start = std::chrono::steady_clock::now();
  auto r = process->run(m);
  stopper.join();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  CHECK_FALSE(r.ok);
  CHECK(r.interrupted);
  CHECK(component(r, "out").status == Status::stopped);
  std::string written = read_file(dir / "out.csv");
  CHECK(written.rfind("x\n0\n", 0) == 0);
  CHECK(written.back() == '\n');
}

TEST_CASE("1,000,000 values through four pass-throughs arrive exact: count, sum, order") {
  TempDir dir;
  Model m;
  m.add_component("builtin.Iterator", "src", {{"iters", 1000000}});
  std::string prev = "src.x";
  for (int i = 0; i < 4; ++i) {
    std::string name = "p" + std::to_string(i);
    m.add_component("builtin.Passthrough", name);
    m.connect(prev, name + ".x");
    prev = name + ".y";
  }
  m.add_component("builtin.Checksum", "check", {{"path", (dir / "sum.json").string()}});
  m.connect(prev, "check.x");
  auto r = run_checked(m);
  CHECK_MESSAGE(r.ok, r.error);
  CHECK(read_file(dir / "sum.json") == "{\"count\":1000000,\"sum\":499999500000,\"ordered\":true}\n");
}

TEST_CASE("a model of 10,000 components runs on a bounded pool of threads") {
  TempDir dir;
  Model m;
  constexpr int kComponents = 10000;
  m.add_component("builtin.Iterator", "src", {{"iters", 20}});
  std::string prev = "src.x";
  for (int i = 0; i < kComponents - 2; ++i) {
    std::string name = "p" + std::to_string(i);
    m.add_component("builtin.Passthrough", name);
    m.connect(prev, name + ".x");
    prev = name + ".y";
  }
  m.add_component("builtin.Checksum", "check", {{"path", (dir / "sum.json").string()}});
  m.connect(prev, "check.x");
  REQUIRE(m.components().size() == kComponents);

  int max_threads = 0;
  RunOptions options;
  options.threads = 2;
  options.progress_interval = std::chrono::milliseconds(20);
  options.on_progress = [&](const Progress&) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
      if (line.rfind("Threads:", 0) == 0) max_threads = std::max(max_threads, std::stoi(line.substr(8)));
  };
  auto r = run_checked(m, options);
  CHECK_MESSAGE(r.ok, r.error);
  CHECK(read_file(dir / "sum.json") == "{\"count\":20,\"sum\":190,\"ordered\":true}\n");
  CHECK(r.components.size() == kComponents);
  CHECK(max_threads <= 4);  // the test's own thread plus the pool of two, and a margin of one
}

TEST_CASE("branches that block in step run in parallel while threads are free") {
  Model m;
  m.process().args = {{"threads", 2}};
  m.add_component("builtin.Iterator", "src", {{"iters", 4}});
  m.add_component("builtin.Sleep", "a", {{"seconds", 0.3}});
  m.add_component("builtin.Sleep", "b", {{"seconds", 0.3}});
  m.add_component("builtin.Timestamper", "join", {{"inputs", Value::array({"x", "y"})}});
  m.add_component("test.ArrivalClock", "arrivals");
  m.connect("src.x", "a.x");
  m.connect("src.x", "b.x");
  m.connect("a.y", "join.x");
  m.connect("b.y", "join.y");
  m.connect("join.timestamp", "arrivals.x");
  auto r = run_checked(m);
  CHECK_MESSAGE(r.ok, r.error);
  // One after the other would take 2.4 s; side by side about 1.2 s.
  CHECK(r.elapsed < std::chrono::milliseconds(2000));
  CHECK(component(r, "join").steps == 4);
  // Each joined value goes downstream as it is made, not when a branch has finished:
  // the sleepers must not keep both threads to themselves.
  auto times = received.take("arrivals");
  REQUIRE(times.size() == 4);
  for (std::size_t i = 1; i < times.size(); ++i) CHECK(times[i] - times[i - 1] >= 200);
}

TEST_CASE("running an invalid model throws ModelError with every problem") {
  Model m;
  m.add_component("builtin.Nope", "a");
  m.add_component("builtin.Passthrough", "b");
  CHECK_THROWS_AS(run(m), ModelError);
  try {
    run(m);
  } catch (const ModelError& e) {
    CHECK(e.errors().size() == 2);  // unknown type, unconnected input
  }
}

TEST_CASE("many short runs never report a stall that is not there") {
  // The end of a run races with the stall check: the last component finishing must not
  // look like a model that cannot move.
  Model m;
  m.add_component("builtin.Iterator", "src", {{"iters", 50}});
  m.add_component("builtin.Passthrough", "left");
  m.add_component("builtin.Passthrough", "right");
  m.add_component("test.Accumulate", "join");
  m.add_component("builtin.Passthrough", "last");
  m.connect("src.x", "left.x");
  m.connect("src.x", "right.x");
  m.connect("left.y", "join.x");
  m.connect("right.y", "join.fb");
  m.connect("join.total", "last.x");
  REQUIRE(check_model(m).empty());
  int failures = 0;
  std::string first;
  for (int i = 0; i < 400; ++i) {
    auto r = run(m);
    if (!r.ok) {
      if (first.empty()) first = r.error;
      ++failures;
    }
  }
  CHECK_MESSAGE(failures == 0, first);
}

TEST_CASE("a stop reaches a component sleeping in init()") {
  Model m;
  m.add_component("test.SlowStart", "slow");
  m.add_component("test.Collect", "never");
  m.connect("slow.y", "never.x");
  auto process = make_process(m);
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    process->request_stop();
  });
  auto start = std::chrono::steady_clock::now();
  auto r = process->run(m);
  stopper.join();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  CHECK(r.interrupted);
  CHECK(r.error == "interrupted");
}

TEST_CASE("something thrown from stop() that is not a std::exception is still reported") {
  Model m;
  m.add_component("builtin.Iterator", "src", {{"iters", 3}});
  m.add_component("test.ThrowsOddly", "odd");
  m.connect("src.x", "odd.x");
  auto r = run_checked(m);
  CHECK_FALSE(r.ok);
  CHECK(r.error == "component 'odd' failed in stop(): unknown exception");
}
