// Work farms: replicated components fed from one load-balanced queue (locally and across
// workers), steps that block outside sleep_for, values sent from init(), and optional
// inputs that may be left unconnected.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>

#include <patchbay/model_yaml.hpp>
#include <patchbay/patchbay.hpp>
#include <patchbay/process.hpp>

#include "support.hpp"

using namespace patchbay;
using namespace std::chrono_literals;
using patchbay::test::read_file;
using patchbay::test::TempDir;
using patchbay::test::write_file;

namespace {

constexpr auto npos = std::string::npos;

// What the test components saw, by component name.
struct Seen {
  std::mutex mutex;
  std::map<std::string, std::vector<std::int64_t>> values;
  void add(const std::string& who, std::int64_t v) {
    std::lock_guard lock(mutex);
    values[who].push_back(v);
  }
  std::vector<std::int64_t> take(const std::string& who) {
    std::lock_guard lock(mutex);
    return values[who];
  }
  void clear() {
    std::lock_guard lock(mutex);
    values.clear();
  }
};
Seen seen;

class FarmSource : public Component {
 public:
  Param<std::vector<std::int64_t>> values{this, "values", std::vector<std::int64_t>{}, "values to send"};
  Output<std::int64_t> y{this, "y"};
  explicit FarmSource(const Args& a) : Component(a) {}
  void step() override {
    if (i_ < values->size()) y = (*values)[i_++];
    if (i_ == values->size()) close();
  }

 private:
  std::size_t i_ = 0;
};
PATCHBAY_COMPONENT(FarmSource, "farm.Source", "sends the given values, then closes");

// Sleeps x milliseconds (through the engine), records x under its own name, passes x on.
class FarmTask : public Component {
 public:
  Input<std::int64_t> x{this, "x"};
  Output<std::int64_t> y{this, "y"};
  explicit FarmTask(const Args& a) : Component(a) {}
  void step() override {
    sleep_for(std::chrono::milliseconds(*x));
    seen.add(name(), *x);
    y = *x;
  }
};
PATCHBAY_COMPONENT(FarmTask, "farm.Task", "sleeps x ms and passes x on");

class FarmSink : public Component {
 public:
  Input<std::int64_t> x{this, "x"};
  explicit FarmSink(const Args& a) : Component(a) {}
  void step() override { seen.add(name(), *x); }
};
PATCHBAY_COMPONENT(FarmSink, "farm.Sink", "records int64 values");

class FarmFailAt : public Component {
 public:
  Param<std::int64_t> at{this, "at", std::int64_t{5}, "the value that fails"};
  Input<std::int64_t> x{this, "x"};
  Output<std::int64_t> y{this, "y"};
  explicit FarmFailAt(const Args& a) : Component(a) {}
  void step() override {
    if (*x == *at) throw std::runtime_error("cannot take " + std::to_string(*x));
    y = *x;
  }
};
PATCHBAY_COMPONENT(FarmFailAt, "farm.FailAt", "fails on one value");

class FarmEven : public Component {
 public:
  Input<std::int64_t> x{this, "x"};
  Output<std::int64_t> y{this, "y"};
  explicit FarmEven(const Args& a) : Component(a) {}
  void step() override {
    if (*x % 2 == 0) y = *x;
  }
};
PATCHBAY_COMPONENT(FarmEven, "farm.Even", "passes even values only");

// Blocks outside the engine (std::this_thread::sleep_for) inside a Blocking guard, and
// records how many such steps were blocked at once.
std::atomic<int> blocked_now{0}, blocked_most{0};
class FarmBlocker : public Component {
 public:
  Param<bool> lend{this, "lend", true, "use the Blocking guard"};
  Input<std::int64_t> x{this, "x"};
  Output<std::int64_t> y{this, "y"};
  explicit FarmBlocker(const Args& a) : Component(a) {}
  void step() override {
    auto wait = [&] {
      int now = ++blocked_now;
      int most = blocked_most.load();
      while (now > most && !blocked_most.compare_exchange_weak(most, now)) {
      }
      std::this_thread::sleep_for(150ms);
      --blocked_now;
      return *x;
    };
    if (*lend) y = blocking(wait);
    else y = wait();
  }
};
PATCHBAY_COMPONENT(FarmBlocker, "farm.Blocker", "blocks 150 ms outside the engine");

// A loop seeded from init(): sends `start` on a seeded output, then adds one to what
// comes back until it reaches `until`.
class FarmCounter : public Component {
 public:
  Param<std::int64_t> until{this, "until", std::int64_t{10}, "the last value"};
  Input<std::int64_t> x{this, "x"};
  Output<std::int64_t> y{this, "y", seeded};
  explicit FarmCounter(const Args& a) : Component(a) {}
  void init() override { y = 0; }
  void step() override {
    seen.add(name(), *x);
    if (*x >= *until) close();
    else y = *x + 1;
  }
};
PATCHBAY_COMPONENT(FarmCounter, "farm.Counter", "counts around a loop it seeds from init()");

// A source that sends one value from init() and one from its only step.
class FarmEarly : public Component {
 public:
  Output<std::int64_t> y{this, "y"};
  explicit FarmEarly(const Args& a) : Component(a) {}
  void init() override { y = 100; }
  void step() override {
    y = 200;
    close();
  }
};
PATCHBAY_COMPONENT(FarmEarly, "farm.Early", "sends 100 from init() and 200 from its step");

// A cell with a required input and two optional neighbours: sends x plus whatever the
// neighbours hold, and records which neighbours held a value.
class FarmCell : public Component {
 public:
  Input<std::int64_t> x{this, "x"};
  Input<std::int64_t> west{this, "west", optional};
  Input<std::int64_t> east{this, "east", optional};
  Output<std::int64_t> y{this, "y"};
  explicit FarmCell(const Args& a) : Component(a) {}
  void step() override {
    std::int64_t sum = *x;
    if (west.has_value()) sum += *west;
    if (east.has_value()) sum += *east;
    seen.add(name() + ".held", (west.has_value() ? 1 : 0) + (east.has_value() ? 2 : 0));
    y = sum;
  }
};
PATCHBAY_COMPONENT(FarmCell, "farm.Cell", "x plus its optional neighbours");

Model farm(const std::vector<std::int64_t>& values, int replicas, const std::string& task = "farm.Task") {
  Model m;
  Value::Array v(values.size());
  std::copy(values.begin(), values.end(), v.begin());
  m.add_component("farm.Source", "src").arg("values", Value(std::move(v)));
  m.add_component(task, "pool").replicas = replicas;
  m.add_component("farm.Sink", "sink");
  m.connect("src.y", "pool.x");
  m.connect("pool.y", "sink.x");
  return m;
}

std::string messages(const std::vector<Error>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.str() + "\n";
  return out;
}

}  // namespace

TEST_CASE("replicas: every row reaches exactly one copy, and the outputs merge into the targets") {
  seen.clear();
  std::vector<std::int64_t> values(1000);
  std::iota(values.begin(), values.end(), 1);
  Model m = farm(values, 4, "farm.FailAt");
  m.find("pool")->arg("at", Value(std::int64_t{-1}));
  RunReport r = run(m);
  REQUIRE_MESSAGE(r.ok, r.error);
  auto got = seen.take("sink");
  std::sort(got.begin(), got.end());
  CHECK(got == values);
  // The summary names each copy; their steps add up to the rows.
  std::uint64_t steps = 0;
  std::vector<std::string> names;
  for (const auto& c : r.components) names.push_back(c.name);
  CHECK(names == std::vector<std::string>{"src", "pool[0]", "pool[1]", "pool[2]", "pool[3]", "sink"});
  for (const auto& c : r.components)
    if (c.name.rfind("pool[", 0) == 0) steps += c.steps;
  CHECK(steps == 1000);
  CHECK(r.total_left_over() == 0);
}

TEST_CASE("replicas: each row goes to whichever copy is free first, not round robin") {
  seen.clear();
  // One long task, then eight short ones: the copy that took the long one is busy the
  // whole time, so the other takes every short one. Round robin would give it four.
  Model m = farm({600, 40, 40, 40, 40, 40, 40, 40, 40}, 2);
  RunOptions options;
  options.threads = 1;  // sleeps lend the thread: one is enough for both copies
  RunReport r = run(m, options);
  REQUIRE_MESSAGE(r.ok, r.error);
  auto a = seen.take("pool[0]"), b = seen.take("pool[1]");
  auto& long_one = std::find(a.begin(), a.end(), 600) != a.end() ? a : b;
  auto& other = &long_one == &a ? b : a;
  CHECK(long_one == std::vector<std::int64_t>{600});
  CHECK(other.size() == 8);
  CHECK(seen.take("sink").size() == 9);
}

TEST_CASE("replicas: a copy that fails stops the run with its own name") {
  seen.clear();
  std::vector<std::int64_t> values(50);
  std::iota(values.begin(), values.end(), 0);
  Model m = farm(values, 3, "farm.FailAt");
  m.find("pool")->arg("at", Value(std::int64_t{20}));
  RunReport r = run(m);
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("component 'pool[") == 0);
  CHECK(r.error.find("cannot take 20") != npos);
  // Nothing is duplicated: every value the sink got is distinct, and 20 is not among them.
  auto got = seen.take("sink");
  std::sort(got.begin(), got.end());
  CHECK(std::adjacent_find(got.begin(), got.end()) == got.end());
  CHECK(std::find(got.begin(), got.end(), 20) == got.end());
}

TEST_CASE("replicas: copies of a source run independently, and initial values feed the queue") {
  seen.clear();
  Model m;
  m.add_component("farm.Early", "early").replicas = 3;
  m.add_component("farm.Sink", "sink");
  m.connect("early.y", "sink.x");
  RunReport r = run(m);
  REQUIRE_MESSAGE(r.ok, r.error);
  auto got = seen.take("sink");
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<std::int64_t>{100, 100, 100, 200, 200, 200});

  seen.clear();
  Model q = farm({5, 6}, 2);
  q.find("pool")->initial("x", {Value(std::int64_t{1}), Value(std::int64_t{2})});
  r = run(q);
  REQUIRE_MESSAGE(r.ok, r.error);
  got = seen.take("sink");
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<std::int64_t>{1, 2, 5, 6});
}

TEST_CASE("replicas: mistakes are load errors that name the group at its place in the file") {
  TempDir dir;
  write_file(dir / "model.yaml",
             "patchbay:\n"
             "  components:\n"
             "    - {type: builtin.Iterator, name: src}\n"
             "    - {type: builtin.Scale, name: pool, replicas: 3}\n"
             "    - {type: builtin.Printer, name: out}\n"
             "  connectors:\n"
             "    - {source: src.x, target: pool.z}\n"
             "    - {source: pool.y, target: out.x}\n");
  auto r = test::run_cli({"validate", "model.yaml"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("model.yaml:7:31: connector src.x -> pool.z: component 'pool' (builtin.Scale) has no input 'z' "
                   "(inputs: x (double))") != npos);
  CHECK(r.err.find("component 'pool': input 'x' is not connected") != npos);
  CHECK(r.err.find("pool[1]") == npos);  // one error for the group, not one per copy

  write_file(dir / "model.yaml",
             "patchbay:\n"
             "  components:\n"
             "    - {type: builtin.Timestamper, name: src}\n"
             "    - {type: builtin.Scale, name: pool, replicas: 2}\n"
             "    - {type: builtin.Printer, name: out}\n"
             "  connectors:\n"
             "    - {source: src.timestamp, target: pool.x}\n"
             "    - {source: pool.y, target: out.x}\n");
  r = test::run_cli({"validate", "model.yaml"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("connector src.timestamp -> pool.x: type mismatch: src.timestamp is string but pool.x is double") != npos);

  write_file(dir / "model.yaml",
             "patchbay:\n"
             "  components:\n"
             "    - {type: builtin.Sleep, name: a, replicas: 0}\n"
             "    - {type: builtin.Sleep, name: b, worker: [0, 1]}\n"
             "    - {type: builtin.Sleep, name: c, replicas: 2, order: sorted}\n"
             "    - {type: builtin.Sleep, name: d, worker: some}\n");
  r = test::run_cli({"validate", "model.yaml"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("model.yaml:3:48: expected a number of replicas from 1 to 4096, got '0'") != npos);
  CHECK(r.err.find("model.yaml:4:46: component 'b': a list of workers or 'all' is for a component with 'replicas'") != npos);
  CHECK(r.err.find("model.yaml:5:58: expected order 'arrival' or 'preserve', got 'sorted'") != npos);
  CHECK(r.err.find("model.yaml:6:46: expected a worker number (0 or more), got 'some'") != npos);

  // The copies fail alike: their errors are said once, of the group.
  Model typo = farm({1}, 5, "farm.Tsk");
  std::string errors = messages(check_model(typo));
  CHECK(errors.find("component 'pool': unknown component type 'farm.Tsk' (did you mean farm.Task?)") != npos);
  CHECK(errors.find("pool[") == npos);

  // A connector from a group is one connector: a mismatch is said once, of the group, in
  // either order.
  for (bool preserve : {false, true}) {
    Model m;
    m.add_component("builtin.Iterator", "src");
    ComponentSpec& pool = m.add_component("builtin.Passthrough", "pool");
    pool.replicas = 3;
    pool.preserve_order = preserve;
    m.add_component("builtin.Scale", "scale");
    m.add_component("builtin.Printer", "out");
    m.connect("src.x", "pool.x");
    m.connect("pool.z", "out.x");
    m.connect("src.x", "scale.x");
    m.connect("scale.y", "out.x");
    std::string found = messages(check_model(m));
    CHECK(found.find("connector pool.z -> out.x: component 'pool' (builtin.Passthrough) has no output 'z' (outputs: y (any))") !=
          npos);
    CHECK(found.find("pool[") == npos);
    CHECK(found.find("~") == npos);
  }
}

TEST_CASE("order: preserve sends a group's outputs in input order, locally and across workers") {
  seen.clear();
  // Durations that make later rows finish first: 90, 80, ... ms on 4 copies.
  std::vector<std::int64_t> values;
  for (int i = 0; i < 12; ++i) values.push_back(100 - 10 * (i % 10) - 5);
  Model m = farm(values, 4);
  m.find("pool")->preserve_order = true;
  RunOptions one;
  one.threads = 1;
  RunReport r = run(m, one);
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(seen.take("sink") == values);
  std::size_t copies = 0;
  for (const auto& c : r.components) copies += c.name.rfind("pool[", 0) == 0;
  CHECK(copies == 4);  // and no engine part in the report

  // A filter: rows whose step assigned nothing send nothing, and the rest stay in order.
  seen.clear();
  std::vector<std::int64_t> many(3000);
  std::iota(many.begin(), many.end(), 0);
  Model f = farm(many, 3, "farm.Even");
  f.find("pool")->preserve_order = true;
  r = run(f);
  REQUIRE_MESSAGE(r.ok, r.error);
  std::vector<std::int64_t> evens;
  std::copy_if(many.begin(), many.end(), std::back_inserter(evens), [](std::int64_t v) { return v % 2 == 0; });
  CHECK(seen.take("sink") == evens);

  TempDir dir;
  write_file(dir / "model.yaml",
             "patchbay:\n"
             "  process: {type: multiprocess, args: {workers: 2}}\n"
             "  components:\n"
             "    - {type: builtin.Iterator, name: src, args: {iters: 2000}}\n"
             "    - {type: builtin.Busy, name: pool, args: {seconds: 0.0002}, replicas: 4, worker: all, order: preserve}\n"
             "    - {type: builtin.Checksum, name: sum, args: {path: sum.json}}\n"
             "  connectors:\n"
             "    - {source: src.x, target: pool.x}\n"
             "    - {source: pool.y, target: sum.x}\n");
  auto cli = test::run_cli({"run", "model.yaml"}, dir.path());
  REQUIRE_MESSAGE(cli.exit_code == 0, cli.err);
  CHECK(read_file(dir / "sum.json").find("{\"count\":2000,\"sum\":1999000,\"ordered\":true}") != npos);
}

TEST_CASE("replicas, worker lists and `all` are written back as they were read") {
  const char* text =
      "patchbay:\n"
      "  process: {type: multiprocess, args: {workers: 3}}\n"
      "  components:\n"
      "    - {type: builtin.Iterator, name: src}\n"
      "    - {type: builtin.Sleep, name: a, replicas: 4, worker: [0, 2]}\n"
      "    - {type: builtin.Sleep, name: b, replicas: 2, worker: all}\n"
      "    - {type: builtin.Printer, name: out}\n"
      "  connectors:\n"
      "    - {source: src.x, target: a.x}\n"
      "    - {source: a.y, target: b.x}\n"
      "    - {source: b.y, target: out.x}\n";
  LoadResult first = read_model_string(text, "m.yaml");
  REQUIRE(first.ok());
  const ComponentSpec& a = *first.model.find("a");
  CHECK(a.replicas == 4);
  CHECK(a.workers == std::vector<int>{0, 2});
  CHECK(first.model.find("b")->all_workers);
  LoadResult again = read_model_string(to_yaml(first.model), "again.yaml");
  REQUIRE(again.ok());
  CHECK(again.model == first.model);
  CHECK(check_model(first.model).empty());
}

TEST_CASE("replicas across workers: the queue crosses processes and the result is exact") {
  TempDir dir;
  // 40 rows of 30 ms on 4 copies, two on each worker; a chain after them checks the sum.
  write_file(dir / "model.yaml",
             "patchbay:\n"
             "  process: {type: multiprocess, args: {workers: 2}}\n"
             "  components:\n"
             "    - {type: builtin.Iterator, name: src, args: {iters: 40}, worker: 0}\n"
             "    - {type: builtin.Sleep, name: pool, args: {seconds: 0.03}, replicas: 4, worker: [0, 1]}\n"
             "    - {type: builtin.Checksum, name: sum, args: {path: sum.json}, worker: 1}\n"
             "  connectors:\n"
             "    - {source: src.x, target: pool.x}\n"
             "    - {source: pool.y, target: sum.x}\n");
  auto r = test::run_cli({"run", "model.yaml", "--summary"}, dir.path());
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(read_file(dir / "sum.json").find("\"count\":40,\"sum\":780") != npos);
  // Every copy took rows: the two on the worker without the source too.
  for (int i = 0; i < 4; ++i) {
    auto at = r.err.find("pool[" + std::to_string(i) + "]");
    REQUIRE(at != npos);
    std::int64_t steps = std::stoll(r.err.substr(at + 7, 14));
    CHECK(steps > 0);
  }
  CHECK(r.err.find("4 pool") == npos);

  // `worker: all` deals the copies round every worker, and a copy that fails is named.
  write_file(dir / "model.yaml",
             "patchbay:\n"
             "  process: {type: multiprocess, args: {workers: 2}}\n"
             "  components:\n"
             "    - {type: builtin.Iterator, name: src, args: {iters: 1000}}\n"
             "    - {type: builtin.Passthrough, name: pool, replicas: 3, worker: all}\n"
             "    - {type: builtin.Checksum, name: sum, args: {path: sum.json}}\n"
             "  connectors:\n"
             "    - {source: src.x, target: pool.x}\n"
             "    - {source: pool.y, target: sum.x}\n");
  r = test::run_cli({"run", "model.yaml"}, dir.path());
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(read_file(dir / "sum.json").find("\"count\":1000,\"sum\":499500") != npos);
}

TEST_CASE("a step that blocks inside a Blocking guard lends its thread, so other components run meanwhile") {
  auto model = [](bool lend) {
    Model m;
    m.add_component("farm.Source", "src", {{"values", Value::array({Value(std::int64_t{1})})}});
    for (int i = 0; i < 4; ++i) {
      std::string name = "b" + std::to_string(i);
      m.add_component("farm.Blocker", name, {{"lend", Value(lend)}});
      m.connect("src.y", name + ".x");
    }
    return m;
  };
  RunOptions one;
  one.threads = 1;
  blocked_most = 0;
  RunReport r = run(model(true), one);
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(blocked_most.load() == 4);  // all four blocked at once on a one-thread pool
  blocked_most = 0;
  r = run(model(false), one);
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(blocked_most.load() == 1);  // without the guard, each holds the only thread
}

TEST_CASE("values assigned in init() are sent when the run starts, and a seeded output starts a loop") {
  seen.clear();
  Model m;
  m.add_component("farm.Early", "early");
  m.add_component("farm.Sink", "sink");
  m.connect("early.y", "sink.x");
  RunReport r = run(m);
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(seen.take("sink") == std::vector<std::int64_t>{100, 200});

  Model loop;
  loop.add_component("farm.Counter", "count", {{"until", Value(std::int64_t{50})}});
  loop.add_component("builtin.Passthrough", "echo");
  loop.connect("count.y", "echo.x");
  loop.connect("echo.y", "count.x");
  CHECK(check_model(loop).empty());
  r = run(loop);
  REQUIRE_MESSAGE(r.ok, r.error);
  auto got = seen.take("count");
  REQUIRE(got.size() == 51);
  CHECK(got.front() == 0);
  CHECK(got.back() == 50);

  // A cycle through outputs that are not seeded still needs an initial value.
  Model unseeded;
  unseeded.add_component("builtin.Passthrough", "a");
  unseeded.add_component("builtin.Passthrough", "b");
  unseeded.connect("a.y", "b.x");
  unseeded.connect("b.y", "a.x");
  CHECK(messages(check_model(unseeded)).find("cycle without an initial value") != npos);
}

TEST_CASE("optional inputs may be left unconnected, and a step sees whether each holds a value") {
  seen.clear();
  Model m;
  m.add_component("farm.Source", "src", {{"values", Value::array({Value(std::int64_t{1}), Value(std::int64_t{2})})}});
  m.add_component("farm.Source", "left", {{"values", Value::array({Value(std::int64_t{10}), Value(std::int64_t{20})})}});
  m.add_component("farm.Cell", "lone");  // both neighbours unconnected: steps on x alone
  m.add_component("farm.Cell", "edge");  // west connected: waits for it like any input
  m.add_component("farm.Sink", "lone_out");
  m.add_component("farm.Sink", "edge_out");
  m.connect("src.y", "lone.x");
  m.connect("src.y", "edge.x");
  m.connect("left.y", "edge.west");
  m.connect("lone.y", "lone_out.x");
  m.connect("edge.y", "edge_out.x");
  CHECK(check_model(m).empty());
  RunReport r = run(m);
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(seen.take("lone_out") == std::vector<std::int64_t>{1, 2});
  CHECK(seen.take("lone.held") == std::vector<std::int64_t>{0, 0});
  CHECK(seen.take("edge_out") == std::vector<std::int64_t>{11, 22});
  CHECK(seen.take("edge.held") == std::vector<std::int64_t>{1, 1});

  // A required input left unconnected is still an error.
  Model bad;
  bad.add_component("farm.Cell", "cell");
  std::string errors = messages(check_model(bad));
  CHECK(errors.find("input 'x' is not connected") != npos);
  CHECK(errors.find("'west'") == npos);
}
