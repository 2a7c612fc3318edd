// Each component is built once per run, in the process that runs it: checking a model
// and running it do not build it twice in one process, and under multiprocess neither
// the coordinator nor the other workers build it. counting.Counted (tests/plugins/)
// appends "PID NAME" to a file each time its constructor runs.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <patchbay/model_yaml.hpp>
#include <patchbay/plugin.hpp>
#include <patchbay/process.hpp>

#include "support.hpp"

using namespace patchbay;
namespace fs = std::filesystem;

namespace {

// name -> the pids of the processes that built it, one entry per construction.
std::map<std::string, std::vector<long>> constructions(const fs::path& log) {
  std::map<std::string, std::vector<long>> out;
  std::istringstream in(test::read_file(log));
  long pid = 0;
  std::string name;
  while (in >> pid >> name) out[name].push_back(pid);
  return out;
}

// src -> a -> b -> c -> sum, with a, b and c counted; `process` is the process line.
std::string chain_model(const fs::path& dir, const std::string& process) {
  std::string log = (dir / "built.log").string();
  auto counted = [&](const std::string& name, int worker) {
    return "    - {type: counting.Counted, name: " + name + ", args: {log: " + log + "}, worker: " +
           std::to_string(worker) + "}\n";
  };
  return std::string("patchbay:\n  plugins: [") + PATCHBAY_TEST_PLUGIN_COUNTING + "]\n  process: " + process +
         "\n  components:\n"
         "    - {type: builtin.Iterator, name: src, args: {iters: 1000}, worker: 0}\n" +
         counted("a", 0) + counted("b", 1) + counted("c", 1) +
         "    - {type: builtin.Checksum, name: sum, args: {path: " + (dir / "sum.json").string() +
         "}, worker: 0}\n"
         "  connectors:\n"
         "    - {source: src.x, target: a.x}\n"
         "    - {source: a.y, target: b.x}\n"
         "    - {source: b.y, target: c.x}\n"
         "    - {source: c.y, target: sum.x}\n";
}

const std::string kSum = "{\"count\":1000,\"sum\":499500,\"ordered\":true}\n";

}  // namespace

TEST_CASE("a local run from C++ builds each component once, in this process") {
  test::TempDir dir;
  LoadResult loaded = load_model_string(chain_model(dir.path(), "{type: local}"), "chain.yaml", {}, Checks::at_run);
  REQUIRE(loaded.ok());
  CHECK(constructions(dir / "built.log").empty());  // loading for a run builds nothing
  RunReport report = run(loaded.model);
  REQUIRE(report.ok);
  CHECK(test::read_file(dir / "sum.json") == kSum);
  auto built = constructions(dir / "built.log");
  REQUIRE(built.size() == 3);
  for (const auto& [name, pids] : built) {
    CAPTURE(name);
    CHECK(pids == std::vector<long>{static_cast<long>(getpid())});
  }
}

TEST_CASE("checking a model builds each component once, and a run of what was checked builds it once more") {
  test::TempDir dir;
  LoadResult loaded = load_model_string(chain_model(dir.path(), "{type: local}"), "chain.yaml");
  REQUIRE(loaded.ok());  // Checks::now: loading checked the model, building each component
  for (const auto& [name, pids] : constructions(dir / "built.log")) CHECK(pids.size() == 1);
  CHECK(check_model(loaded.model).empty());
  for (const auto& [name, pids] : constructions(dir / "built.log")) CHECK(pids.size() == 2);
}

TEST_CASE("patchbay run builds each component once under local") {
  test::TempDir dir;
  test::write_file(dir / "chain.yaml", chain_model(dir.path(), "{type: local}"));
  auto r = test::run_cli({"run", "chain.yaml", "-q"}, dir.path());
  CAPTURE(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(test::read_file(dir / "sum.json") == kSum);
  auto built = constructions(dir / "built.log");
  REQUIRE(built.size() == 3);
  for (const auto& [name, pids] : built) {
    CAPTURE(name);
    CHECK(pids.size() == 1);
  }
}

TEST_CASE("patchbay run builds each component once under multiprocess, in the worker that runs it") {
  test::TempDir dir;
  test::write_file(dir / "chain.yaml", chain_model(dir.path(), "{type: multiprocess, args: {workers: 2}}"));
  test::RunningCli cli({"run", "chain.yaml", "-q"}, dir.path());
  const long coordinator = cli.pid();
  auto r = cli.wait();
  CAPTURE(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(test::read_file(dir / "sum.json") == kSum);
  auto built = constructions(dir / "built.log");
  REQUIRE(built.size() == 3);
  for (const auto& [name, pids] : built) {
    CAPTURE(name);
    REQUIRE(pids.size() == 1);
    CHECK(pids[0] != coordinator);
  }
  // a runs on worker 0, b and c on worker 1: two processes, b and c in the same one.
  CHECK(built["a"][0] != built["b"][0]);
  CHECK(built["b"][0] == built["c"][0]);
}

TEST_CASE("under multiprocess, a component's bad argument is reported at its place in the file, building nothing twice") {
  test::TempDir dir;
  std::string model = chain_model(dir.path(), "{type: multiprocess, args: {workers: 2}}");
  // b's args gain an unknown key: line 7 of the file.
  std::string from = "name: b, args: {log: ";
  model.replace(model.find(from), from.size(), "name: b, args: {colour: red, log: ");
  test::write_file(dir / "chain.yaml", model);
  auto r = test::run_cli({"run", "chain.yaml"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("chain.yaml:7:") != std::string::npos);
  CHECK(r.err.find("component 'b' (counting.Counted): unknown argument 'colour' (parameters: log)") != std::string::npos);
  // Unknown arguments show once the constructor has run: b was built, once, like the others.
  auto built = constructions(dir / "built.log");
  CHECK(built.size() == 3);
  for (const auto& [name, pids] : built) CHECK(pids.size() == 1);
}
