// The multiprocess process type, through the `patchbay` command: values crossing
// processes exactly, the same output as a local run, plugins in workers, and failures
// (an exception, a killed worker, Ctrl-C) that stop everything and leave no process.
#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <patchbay/model_yaml.hpp>

#include "support.hpp"

using namespace patchbay;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// The processes whose parent is `parent` (from /proc).
std::vector<int> children_of(int parent) {
  std::vector<int> out;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string stat = test::read_file(entry.path() / "stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    int ppid = 0;
    char state = 0;
    if (std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) == 2 && ppid == parent)
      out.push_back(std::stoi(name));
  }
  return out;
}

bool gone(int pid) {
  std::string stat = test::read_file("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) return true;
  auto close = stat.rfind(')');
  return close != std::string::npos && stat.size() > close + 2 && stat[close + 2] == 'Z';
}

std::string cmdline(int pid) {
  std::string s = test::read_file("/proc/" + std::to_string(pid) + "/cmdline");
  for (char& c : s)
    if (c == '\0') c = ' ';
  return s;
}

// The same model file with another process type.
fs::path with_process(const fs::path& model, const fs::path& out, const std::string& type, int workers = 0) {
  LoadResult r = load_model_file(model.string());
  REQUIRE(r.ok());
  r.model.process().type = type;
  r.model.process().args.clear();
  if (workers) r.model.process().args = {{"workers", Value(std::int64_t{workers})}};
  save_model_file(r.model, out.string());
  return out;
}

// Waits for the coordinator's workers to be running: started, and past exec (a child
// just forked still shows the coordinator's command line). A run that ends first (as a
// failing one may, within milliseconds) has no workers left to wait for.
std::vector<int> wait_for_workers(int coordinator, std::size_t n) {
  std::vector<int> workers;
  for (int i = 0; i < 500 && workers.size() < n && !gone(coordinator); ++i) {
    std::this_thread::sleep_for(10ms);
    workers.clear();
    for (int pid : children_of(coordinator))
      if (cmdline(pid).find("patchbay-worker multiprocess ") != std::string::npos) workers.push_back(pid);
  }
  return workers;
}

// src (worker 0) -> slow (slow.Start on worker 1, `seconds` in init()) -> sum (worker 0,
// writing sum.json).
std::string slow_start_model(int iters, const std::string& seconds) {
  return std::string("patchbay:\n  plugins: [") + PATCHBAY_TEST_PLUGIN_SLOW_START + R"(]
  process: {type: multiprocess, args: {workers: 2}}
  components:
    - {type: builtin.Iterator, name: src, args: {iters: )" + std::to_string(iters) + R"(}, worker: 0}
    - {type: slow.Start, name: slow, args: {seconds: )" + seconds + R"(}, worker: 1}
    - {type: builtin.Checksum, name: sum, args: {path: sum.json}, worker: 0}
  connectors:
    - {source: src.x, target: slow.x}
    - {source: slow.y, target: sum.x}
)";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("a chain that crosses processes twice moves 1,000,000 values exactly") {
  test::TempDir dir;
  test::write_file(dir / "chain.yaml", R"(
patchbay:
  process: {type: multiprocess, args: {workers: 2}}
  components:
    - {type: builtin.Iterator, name: src, args: {iters: 1000000}, worker: 0}
    - {type: builtin.Passthrough, name: there, worker: 1}
    - {type: builtin.Passthrough, name: back, worker: 0}
    - {type: builtin.Checksum, name: sum, args: {path: sum.json}, worker: 1}
  connectors:
    - {source: src.x, target: there.x}
    - {source: there.y, target: back.x}
    - {source: back.y, target: sum.x}
)");
  auto r = test::run_cli({"run", "chain.yaml", "--summary"}, dir.path());
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(test::read_file(dir / "sum.json") == "{\"count\":1000000,\"sum\":499999500000,\"ordered\":true}\n");
  // The summary is one table for the whole model, gathered from both workers.
  CHECK(r.err.find("4 components, 4000000 steps, 3000000 values moved") != std::string::npos);
}

TEST_CASE("the shipped models write the same files under local and multiprocess") {
  test::TempDir dir;
  fs::path src = test::source_dir();
  SUBCASE("hello: every component in its own worker") {
    auto mp = with_process(src / "configs/hello.yaml", dir / "hello-mp.yaml", "multiprocess", 3);
    std::string reader = "reader.path=" + (src / "configs/data/temperatures.csv").string();
    auto local = test::run_cli({"run", (src / "configs/hello.yaml").string(), "-q", "--set", reader, "--set",
                                "writer.path=local.csv"}, dir.path());
    auto multi = test::run_cli({"run", mp.string(), "-q", "--set", reader, "--set", "writer.path=multi.csv"}, dir.path());
    REQUIRE_MESSAGE(local.exit_code == 0, local.err);
    REQUIRE_MESSAGE(multi.exit_code == 0, multi.err);
    CHECK(test::read_file(dir / "local.csv").size() > 50);
    CHECK(test::read_file(dir / "local.csv") == test::read_file(dir / "multi.csv"));
  }
  SUBCASE("large-vectors: 4 MB arrays between processes") {
    auto lp = with_process(src / "configs/large-vectors.yaml", dir / "vectors-local.yaml", "local");
    auto local = test::run_cli({"run", lp.string(), "-q", "--set", "save.path=local.csv"}, dir.path());
    auto multi = test::run_cli({"run", (src / "configs/large-vectors.yaml").string(), "-q", "--set",
                                "save.path=multi.csv"}, dir.path());
    REQUIRE_MESSAGE(local.exit_code == 0, local.err);
    REQUIRE_MESSAGE(multi.exit_code == 0, multi.err);
    CHECK(test::read_file(dir / "local.csv").starts_with("sum\n"));
    CHECK(test::read_file(dir / "local.csv") == test::read_file(dir / "multi.csv"));
  }
}

TEST_CASE("workers load the model's plugins") {
  test::TempDir dir;
  test::write_file(dir / "plugin.yaml", std::string(R"(
patchbay:
  plugins: [)") + PATCHBAY_TEST_PLUGIN_GOOD + R"(]
  process: {type: multiprocess, args: {workers: 2}}
  components:
    - {type: builtin.Iterator, name: src, args: {iters: 5}, worker: 0}
    - {type: good.Gain, name: gain, args: {gain: 3.0}, worker: 1}
    - {type: builtin.FileWriter, name: save, args: {path: out.csv, fields: [y]}, worker: 0}
  connectors:
    - {source: src.x, target: gain.x}
    - {source: gain.y, target: save.y}
)");
  auto r = test::run_cli({"run", "plugin.yaml", "-q"}, dir.path());
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(test::read_file(dir / "out.csv") == "y\n0.0\n3.0\n6.0\n9.0\n12.0\n");
}

TEST_CASE("values that reach a worker while its components are still in init() wait for the run to start") {
  // Worker 0 starts sending at once; `slow` (worker 1) spends 0.5 s in init(), so the
  // values reach worker 1 before its run has started.
  test::TempDir dir;
  test::write_file(dir / "model.yaml", slow_start_model(10000, "0.5"));
  auto r = test::run_cli({"run", "model.yaml", "-q"}, dir.path());
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(test::read_file(dir / "sum.json") == "{\"count\":10000,\"sum\":49995000,\"ordered\":true}\n");
}

TEST_CASE("a component that fails in a worker stops the run with the message a local run gives") {
  test::TempDir dir;
  test::write_file(dir / "bad.csv", "city,celsius\nOslo,3.5\nLima,warm\nRome,20\n");
  std::string model = R"(
  components:
    - {type: builtin.FileReader, name: reader, args: {path: bad.csv, columns: [city, celsius]}, worker: 0}
    - {type: builtin.Scale, name: scale, worker: 1}
    - {type: builtin.FileWriter, name: save, args: {path: out.csv, fields: [y]}, worker: 0}
  connectors:
    - {source: reader.celsius, target: scale.x}
    - {source: scale.y, target: save.y}
)";
  test::write_file(dir / "local.yaml", "patchbay:\n  process: {type: local}" + model);
  test::write_file(dir / "multi.yaml", "patchbay:\n  process: {type: multiprocess, args: {workers: 2}}" + model);
  auto local = test::run_cli({"run", "local.yaml", "-q"}, dir.path());
  auto multi = test::run_cli({"run", "multi.yaml", "-q"}, dir.path());
  CHECK(local.exit_code == 1);
  CHECK(multi.exit_code == 1);
  CHECK(local.err.find("component 'reader' failed at step 2") != std::string::npos);
  CHECK(multi.err == local.err);
}

TEST_CASE("a component that fails in init() in one worker ends the run, and the other worker does not wait for it") {
  // `src` (worker 0) starts sending to `mid` while `save` (worker 1) fails in init(), so
  // worker 1 never runs a step: its ends must still tell worker 0 that nothing will come
  // from them (`back` waits for mid.y) and nothing more will be taken (src.x).
  test::TempDir dir;
  test::write_file(dir / "model.yaml", R"(
patchbay:
  process: {type: multiprocess, args: {workers: 2}}
  components:
    - {type: builtin.Iterator, name: src, args: {iters: 100000}, worker: 0}
    - {type: builtin.Passthrough, name: mid, worker: 1}
    - {type: builtin.FileWriter, name: save, args: {path: no-such-dir/out.csv, fields: [y]}, worker: 1}
    - {type: builtin.Checksum, name: back, args: {path: back.json}, worker: 0}
  connectors:
    - {source: src.x, target: mid.x}
    - {source: mid.y, target: save.y}
    - {source: mid.y, target: back.x}
)");
  test::RunningCli cli({"run", "model.yaml", "-q"}, dir.path());
  auto started = std::chrono::steady_clock::now();
  std::vector<int> workers = wait_for_workers(cli.pid(), 2);
  auto r = cli.wait();
  double seconds = seconds_since(started);
  MESSAGE("run ended after " << seconds << " s");
  CHECK(seconds < 3.0);  // it used to wait forever for mid.y, then 5 s for an acknowledgement
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("component 'save' failed in init(): cannot write") != std::string::npos);
  for (int w : workers) CHECK(gone(w));
}

TEST_CASE("a worker killed with SIGKILL ends the run within a second, naming it and its components, and no process is left") {
  test::TempDir dir;
  test::write_file(dir / "slow.yaml", R"(
patchbay:
  process: {type: multiprocess, args: {workers: 2}}
  components:
    - {type: builtin.Iterator, name: src, args: {iters: 100000}, worker: 0}
    - {type: builtin.Sleep, name: nap, args: {seconds: 0.01}, worker: 1}
    - {type: builtin.FileWriter, name: save, args: {path: out.csv}, worker: 0}
  connectors:
    - {source: src.x, target: nap.x}
    - {source: nap.y, target: save.x}
)");
  test::RunningCli cli({"run", "slow.yaml", "-q"}, dir.path());
  std::vector<int> workers = wait_for_workers(cli.pid(), 2);
  REQUIRE(workers.size() == 2);
  int victim = 0;
  for (int w : workers)
    if (cmdline(w).ends_with(" 1 ")) victim = w;
  REQUIRE(victim != 0);
  std::this_thread::sleep_for(500ms);  // well into the run
  auto killed_at = std::chrono::steady_clock::now();
  kill(victim, SIGKILL);
  auto r = cli.wait();
  double seconds = seconds_since(killed_at);
  MESSAGE("run ended " << seconds << " s after the kill");
  CHECK(seconds < 1.0);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("worker 1 (pid " + std::to_string(victim) + ") was killed by signal 9 (SIGKILL); it held components nap") !=
        std::string::npos);
  for (int w : workers) CHECK(gone(w));
}

TEST_CASE("Ctrl-C stops every worker cleanly, with sinks flushed, and no process is left") {
  test::TempDir dir;
  test::write_file(dir / "slow.yaml", R"(
patchbay:
  process: {type: multiprocess, args: {workers: 2}}
  components:
    - {type: builtin.Iterator, name: src, args: {iters: 100000}, worker: 0}
    - {type: builtin.Sleep, name: nap, args: {seconds: 0.01}, worker: 1}
    - {type: builtin.FileWriter, name: save, args: {path: out.csv}, worker: 0}
  connectors:
    - {source: src.x, target: nap.x}
    - {source: nap.y, target: save.x}
)");
  test::RunningCli cli({"run", "slow.yaml", "-q"}, dir.path());
  std::vector<int> workers = wait_for_workers(cli.pid(), 2);
  REQUIRE(workers.size() == 2);
  std::this_thread::sleep_for(700ms);
  kill(cli.pid(), SIGINT);
  auto r = cli.wait();
  CHECK(r.exit_code == 130);
  CHECK(r.err.find("interrupted") != std::string::npos);
  std::string out = test::read_file(dir / "out.csv");
  CHECK(out.starts_with("x\n0\n1\n"));
  CHECK(out.ends_with("\n"));  // the last row is whole: the writer flushed and closed
  for (int w : workers) CHECK(gone(w));
}

TEST_CASE("workers that do not finish 10 s after a stop are stopped by force, and named") {
  // `slow` sleeps in init() for a minute and cannot see the stop; `sum` waits for it.
  test::TempDir dir;
  test::write_file(dir / "model.yaml", slow_start_model(10, "60"));
  test::RunningCli cli({"run", "model.yaml", "-q"}, dir.path());
  std::vector<int> workers = wait_for_workers(cli.pid(), 2);
  REQUIRE(workers.size() == 2);
  std::this_thread::sleep_for(500ms);
  auto stopped_at = std::chrono::steady_clock::now();
  kill(cli.pid(), SIGINT);
  auto r = cli.wait();
  double seconds = seconds_since(stopped_at);
  MESSAGE("run ended " << seconds << " s after Ctrl-C");
  CHECK(seconds >= 10.0);
  CHECK(seconds < 15.0);
  CHECK(r.exit_code == 130);
  CHECK(r.err.find("still running 10 s after the stop, so stopped by force: worker 0 (components src, sum); "
                   "worker 1 (components slow)") != std::string::npos);
  for (int w : workers) CHECK(gone(w));
}

TEST_CASE("placement errors name the connector or the component") {
  test::TempDir dir;
  test::write_file(dir / "m.yaml", R"(
patchbay:
  process: {type: multiprocess, args: {workers: 2}}
  components:
    - {type: builtin.Iterator, name: src, worker: 0}
    - {type: builtin.Passthrough, name: p, worker: 1}
    - {type: builtin.Checksum, name: sum, args: {path: s.json}, worker: 2}
  connectors:
    - {source: src.x, target: p.x, channel: {type: inproc}}
    - {source: p.y, target: sum.x}
)");
  auto r = test::run_cli({"validate", "m.yaml"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("m.yaml:9:7: connector src.x -> p.x: channel 'inproc' cannot carry this connector: its ends run in "
                   "different processes (workers 0 and 1)") != std::string::npos);
  CHECK(r.err.find("component 'sum': worker 2 does not exist (workers are numbered 0 to 1)") != std::string::npos);
}

TEST_CASE("a loop across workers that can no longer move is reported as a stall, not waited on") {
  test::TempDir dir;
  // gain drops the first value, so nothing ever comes back around the loop.
  test::write_file(dir / "loop.yaml", std::string(R"(
patchbay:
  plugins: [)") + PATCHBAY_TEST_PLUGIN_GOOD + R"(]
  process: {type: multiprocess, args: {workers: 2}}
  components:
    - {type: builtin.Passthrough, name: relay, initial_values: {x: [1]}, worker: 0}
    - {type: good.Gain, name: gain, args: {skip: 1}, worker: 1}
  connectors:
    - {source: relay.y, target: gain.x}
    - {source: gain.y, target: relay.x}
)");
  auto r = test::run_cli({"run", "loop.yaml", "-q"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("no component can make progress: 'relay', 'gain' wait") != std::string::npos);
}

TEST_CASE("patchbay run reports a multiprocess model's errors at their places in the file, as validate does") {
  test::TempDir dir;
  test::write_file(dir / "m.yaml", R"(patchbay:
  process: {type: multiprocess, args: {workers: 2}}
  components:
    - {type: builtin.Iterator, name: src, args: {iters: 3}, worker: 0}
    - {type: builtin.Iterator, name: extra, args: {colour: red}, worker: 1}
    - {type: builtin.Scale, name: scale, worker: 1}
    - {type: builtin.Vectors, name: vec, worker: 1}
    - {type: builtin.Checksum, name: sum, args: {path: sum.json}, worker: 0}
  connectors:
    - {source: vec.v, target: scale.x}
    - {source: src.x, target: sum.x, channel: {type: zmq, transport: carrier-pigeon}}
)");
  auto run = test::run_cli({"run", "m.yaml"}, dir.path());
  auto validate = test::run_cli({"validate", "m.yaml"}, dir.path());
  CHECK(run.exit_code == 2);
  CHECK(run.err == validate.err);
  CHECK(run.err.find("m.yaml:5:60: component 'extra' (builtin.Iterator): unknown argument 'colour'") != std::string::npos);
  CHECK(run.err.find("m.yaml:10:7: connector vec.v -> scale.x: type mismatch: vec.v is vector<double> but scale.x is double") !=
        std::string::npos);
  CHECK(run.err.find("m.yaml:11:70: connector src.x -> sum.x: channel 'zmq': 'transport' must be one of ipc, tcp") !=
        std::string::npos);
}
