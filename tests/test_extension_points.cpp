// Process types and channel backends are parts that register by name, like component
// types: tests/plugins/toy_backends_plugin.cpp adds a process type (toy.serial) and a
// channel backend (toy.queue) from outside the engine, with the backend headers alone.
// Models run on them, their options are checked by them, and `patchbay schema` lists them.
#include <doctest/doctest.h>

#include <filesystem>

#include <patchbay/backend/channel.hpp>
#include <patchbay/backend/process_type.hpp>
#include <patchbay/model_yaml.hpp>
#include <patchbay/plugin.hpp>
#include <patchbay/process.hpp>

#include "support.hpp"

using namespace patchbay;
namespace fs = std::filesystem;

namespace {

const std::string kToy = fs::canonical(PATCHBAY_TEST_PLUGIN_TOY_BACKENDS).string();
constexpr auto npos = std::string::npos;

// src -> pass -> sum over toy.queue channels, on the toy.serial process.
std::string toy_model(const fs::path& dir, const std::string& process_args = "{log: run.log}",
                      const std::string& channel = "{type: toy.queue, capacity: 2, tag: fast}") {
  return "patchbay:\n  plugins: [" + kToy + "]\n  process: {type: toy.serial, args: " + process_args +
         "}\n  connector_builder: " + channel +
         "\n  components:\n"
         "    - {type: builtin.Iterator, name: src, args: {iters: 500}}\n"
         "    - {type: builtin.Passthrough, name: pass}\n"
         "    - {type: builtin.Checksum, name: sum, args: {path: " +
         (dir / "sum.json").string() +
         "}}\n"
         "  connectors:\n"
         "    - {source: src.x, target: pass.x}\n"
         "    - {source: pass.y, target: sum.x}\n";
}

const std::string kSum = "{\"count\":500,\"sum\":124750,\"ordered\":true}\n";

}  // namespace

TEST_CASE("a plugin registers a process type and a channel backend, and a model runs on them") {
  REQUIRE(load_plugin(kToy).ok());
  CHECK(find_process_type("toy.serial") != nullptr);
  CHECK(find_channel_backend("toy.queue") != nullptr);
  test::TempDir dir;
  LoadResult loaded = load_model_string(toy_model(dir.path()), "toy.yaml");
  REQUIRE_MESSAGE(loaded.ok(), format_errors(loaded.errors));
  fs::path cwd = fs::current_path();
  fs::current_path(dir.path());  // the process type's log is relative
  RunReport report = run(loaded.model);
  fs::current_path(cwd);
  CHECK_MESSAGE(report.ok, report.error);
  CHECK(test::read_file(dir / "sum.json") == kSum);
  CHECK(test::read_file(dir / "run.log") == "toy.serial ran 3 components\n");
}

TEST_CASE("the patchbay command runs a model on a plugin's process type and channel backend") {
  test::TempDir dir;
  test::write_file(dir / "toy.yaml", toy_model(dir.path()));
  auto r = test::run_cli({"run", "toy.yaml", "--summary"}, dir.path());
  CAPTURE(r.err);
  CHECK(r.exit_code == 0);
  CHECK(test::read_file(dir / "sum.json") == kSum);
  CHECK(test::read_file(dir / "run.log") == "toy.serial ran 3 components\n");
  CHECK(r.err.find("3 components, 1500 steps") != npos);
  auto v = test::run_cli({"validate", "toy.yaml"}, dir.path());
  CHECK(v.out == "toy.yaml: ok (3 components, 2 connectors, process toy.serial)\n");
}

TEST_CASE("a plugin's process type checks its own arguments, located in the file") {
  test::TempDir dir;
  test::write_file(dir / "toy.yaml", toy_model(dir.path(), "{rounds: 9, colour: red}"));
  auto r = test::run_cli({"validate", "toy.yaml"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("toy.yaml:3:12: process 'toy.serial': 'rounds' must be an integer from 1 to 3, got integer 9") != npos);
  CHECK(r.err.find("toy.yaml:3:12: process 'toy.serial': unknown argument 'colour' (arguments: log, rounds)") != npos);
  CHECK(r.err.find("toy.yaml:3:12: process 'toy.serial': missing required argument 'log' (string)") != npos);
}

TEST_CASE("a plugin's channel backend checks its own options, located at the option") {
  test::TempDir dir;
  test::write_file(dir / "toy.yaml", toy_model(dir.path(), "{}", "{type: toy.queue, tag: ''}"));
  auto r = test::run_cli({"validate", "toy.yaml"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("toy.yaml:4:45: connector_builder: channel 'toy.queue': 'tag' must not be empty") != npos);

  test::write_file(dir / "toy.yaml", toy_model(dir.path(), "{}", "{type: toy.queue, transport: tcp}"));
  r = test::run_cli({"validate", "toy.yaml"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("toy.yaml:4:51: connector_builder: channel 'toy.queue': unknown option 'transport' (options: tag)") != npos);
}

TEST_CASE("auto never picks a backend that asks to be named, and one that cannot carry an edge says so") {
  REQUIRE(load_plugin(kToy).ok());
  Model m;
  m.process().type = "multiprocess";
  m.add_component("builtin.Iterator", "src").worker = 0;
  m.add_component("builtin.Passthrough", "pass").worker = 0;
  m.add_component("builtin.Checksum", "sum", {{"path", "x.json"}}).worker = 1;
  m.connect("src.x", "pass.x");
  ChannelSpec toy;
  toy.type = "toy.queue";
  m.connect("pass.y", "sum.x", toy);
  auto errors = check_model(m);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message ==
        "connector pass.y -> sum.x: channel 'toy.queue' cannot carry this connector: its ends run in different processes "
        "(workers 0 and 1)");
  m.connectors()[1].channel.reset();
  CHECK(check_model(m).empty());  // auto: inproc inside worker 0, zmq between the workers
}

TEST_CASE("patchbay schema lists a plugin's process type with its arguments and its backend with its options") {
  auto r = test::run_cli({"schema", "--plugin", kToy});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("\"toy.serial\"") != npos);
  CHECK(r.out.find("\"toy.queue\"") != npos);
  CHECK(r.out.find("\"rounds\"") != npos);
  CHECK(r.out.find("a label; must not be empty") != npos);
}

TEST_CASE("a plugin whose channel backend takes a registered name is refused whole") {
  PluginLoad load = load_plugin(fs::canonical(PATCHBAY_TEST_PLUGIN_DUPLICATE_BACKEND).string());
  CHECK(load.error == "channel backend 'inproc' is already registered; none of its types were added");
  CHECK(find_process_type("dupbackend.other") == nullptr);
  CHECK(find_channel_backend("inproc")->help() != "a second inproc");
  REQUIRE(load_plugin(kToy).ok());  // a good one still loads after it
  CHECK(load_plugin(kToy).types == std::vector<std::string>{"toy.queue", "toy.serial"});
}

TEST_CASE("a refused plugin leaves the registered parts as they were") {
  auto types = process_type_names();
  auto backends = channel_backend_names();
  PluginLoad load = load_plugin(fs::canonical(PATCHBAY_TEST_PLUGIN_ABI_MISMATCH).string());
  CHECK(load.error.find("built for plugin ABI 4, this patchbay has ABI 3") == 0);
  CHECK(process_type_names() == types);
  CHECK(channel_backend_names() == backends);
}
