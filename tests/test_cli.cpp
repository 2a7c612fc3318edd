// The `patchbay` command, run as a user would run it.
#include <doctest/doctest.h>

#include <chrono>

#include "support.hpp"

using namespace patchbay::test;

TEST_CASE("patchbay run configs/hello.yaml writes the documented Fahrenheit table") {
  TempDir dir;
  auto r = run_cli({"run", (source_dir() / "configs/hello.yaml").string(),
                    "--set", "reader.path=" + (source_dir() / "configs/data/temperatures.csv").string()},
                   dir.path());
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(read_file(dir / "hello-fahrenheit.csv") ==
        "city,fahrenheit\n"
        "Reykjavik,29.3\n"
        "Oslo,39.2\n"
        "Berlin,52.7\n"
        "Lisbon,64.4\n"
        "Cairo,81.5\n"
        "Singapore,86.0\n");
}

TEST_CASE("patchbay --version prints the version") {
  auto r = run_cli({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("patchbay 0.1.0") != std::string::npos);
}

TEST_CASE("patchbay run configs/parallel-branches.yaml joins 20 iterations in time order") {
  TempDir dir;
  auto r = run_cli({"run", (source_dir() / "configs/parallel-branches.yaml").string(), "--set",
                    "slow-sleep.seconds=0.02", "--set", "very-slow-sleep.seconds=0.04", "--summary"},
                   dir.path());
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  std::string csv = read_file(dir / "parallel-branches.csv");
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = csv.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(csv.substr(start, nl - start));
  REQUIRE(lines.size() == 21);
  CHECK(lines[0] == "timestamp");
  for (std::size_t i = 2; i < lines.size(); ++i) CHECK(lines[i - 1] < lines[i]);
  CHECK(lines[1].size() == std::string("2026-11-25T09:46:38.980761Z").size());
  // --summary prints the table even though stderr is not a terminal.
  CHECK(r.err.find("very-slow-sleep") != std::string::npos);
  CHECK(r.err.find("5 components, 100 steps") != std::string::npos);
}

TEST_CASE("a failing component exits 1 with one line naming it, the step and the reason") {
  TempDir dir;
  write_file(dir / "data.csv", "city,celsius\nOslo,4\nRome,18\nBroken\nCairo,27.5\n");
  write_file(dir / "model.yaml",
             "patchbay:\n"
             "  components:\n"
             "    - {type: builtin.FileReader, name: reader, args: {path: data.csv}}\n"
             "    - {type: builtin.FileWriter, name: writer, args: {path: out.csv, fields: [city, celsius]}}\n"
             "  connectors:\n"
             "    - {source: reader.city, target: writer.city}\n"
             "    - {source: reader.celsius, target: writer.celsius}\n");
  auto r = run_cli({"run", "model.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.err == "patchbay: component 'reader' failed at step 3: data.csv:4: expected at least 2 fields\n");
  // The writer stopped at once and closed its file; what it wrote is whole lines.
  std::string out = read_file(dir / "out.csv");
  CHECK(std::string("city,celsius\nOslo,4\nRome,18\n").rfind(out, 0) == 0);
  CHECK(out.back() == '\n');
}

TEST_CASE("SIGINT stops a run cleanly: exit 130, sinks flushed, no hang") {
  TempDir dir;
  write_file(dir / "model.yaml",
             "patchbay:\n"
             "  components:\n"
             "    - {type: builtin.Iterator, name: src, args: {iters: 100000}}\n"
             "    - {type: builtin.Sleep, name: slow, args: {seconds: 0.05}}\n"
             "    - {type: builtin.FileWriter, name: out, args: {path: out.csv}}\n"
             "  connectors:\n"
             "    - {source: src.x, target: slow.x}\n"
             "    - {source: slow.y, target: out.x}\n");
  auto start = std::chrono::steady_clock::now();
  auto r = run_cli({"run", "model.yaml"}, dir.path(), 600);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  CHECK(r.exit_code == 130);
  CHECK(r.err.find("patchbay: interrupted") != std::string::npos);
  std::string out = read_file(dir / "out.csv");
  CHECK(out.rfind("x\n0\n1\n", 0) == 0);
  CHECK(out.back() == '\n');
}

TEST_CASE("validate reports every error with file, line and column, and exits 2") {
  TempDir dir;
  write_file(dir / "bad.yaml",
             "patchbay:\n"
             "  components:\n"
             "    - {type: builtin.Iteratr, name: src}\n"
             "    - {type: builtin.Printer, name: show, args: {prefx: x}}\n"
             "  connectors:\n"
             "    - {source: src.x, target: show.x}\n");
  auto r = run_cli({"validate", "bad.yaml"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("bad.yaml:3:14: component 'src': unknown component type 'builtin.Iteratr' (did you mean "
                   "builtin.Iterator") != std::string::npos);
  CHECK(r.err.find("bad.yaml:4:57: component 'show' (builtin.Printer): unknown argument 'prefx'") != std::string::npos);
}

TEST_CASE("validate accepts the shipped configs") {
  for (const char* config : {"configs/hello.yaml", "configs/parallel-branches.yaml"}) {
    auto r = run_cli({"validate", (source_dir() / config).string()}, source_dir());
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find(": ok (") != std::string::npos);
  }
}

TEST_CASE("components lists every built-in type with ports, types and parameters") {
  auto r = run_cli({"components"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("builtin.Iterator  emits iters integers") != std::string::npos);
  CHECK(r.out.find("outputs: x (int64)") != std::string::npos);
  CHECK(r.out.find("param   iters (int64, default 10)  how many values to emit") != std::string::npos);
  CHECK(r.out.find("param   path (string, required)") != std::string::npos);
  CHECK(r.out.find("builtin.Checksum") != std::string::npos);
}

TEST_CASE("diagram draws the model as Mermaid or dot") {
  auto mermaid = run_cli({"diagram", (source_dir() / "configs/hello.yaml").string()});
  CHECK(mermaid.exit_code == 0);
  CHECK(mermaid.out.rfind("flowchart LR\n", 0) == 0);
  CHECK(mermaid.out.find("n_reader -- \"celsius → x\" --> n_to_fahrenheit") != std::string::npos);
  auto dot = run_cli({"diagram", (source_dir() / "configs/hello.yaml").string(), "--format", "dot"});
  CHECK(dot.exit_code == 0);
  CHECK(dot.out.rfind("digraph model {", 0) == 0);
  CHECK(dot.out.find("n_to_fahrenheit -> n_writer") != std::string::npos);
  auto bad = run_cli({"diagram", (source_dir() / "configs/hello.yaml").string(), "--format", "png"});
  CHECK(bad.exit_code != 0);
}

TEST_CASE("every command has --help, and bad usage exits non-zero with a message") {
  for (const char* cmd : {"run", "validate", "components", "schema", "diagram"}) {
    auto r = run_cli({cmd, "--help"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
  auto top = run_cli({"--help"});
  CHECK(top.out.find("run") != std::string::npos);
  auto none = run_cli({});
  CHECK(none.exit_code == 2);
  auto unknown = run_cli({"run", (source_dir() / "configs/hello.yaml").string(), "--no-such-flag"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("--no-such-flag") != std::string::npos);
  auto missing = run_cli({"run", "/no/such/model.yaml"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("/no/such/model.yaml") != std::string::npos);
}

TEST_CASE("--threads must be positive and --set must look like component.argument=value") {
  auto r = run_cli({"run", (source_dir() / "configs/hello.yaml").string(), "--threads", "0"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--threads: Value 0 not in range 1 to 1024") != std::string::npos);
  auto s = run_cli({"run", (source_dir() / "configs/hello.yaml").string(), "--set", "noequals"});
  CHECK(s.exit_code == 2);
  CHECK(s.err.find("expected component.argument=value") != std::string::npos);
}
