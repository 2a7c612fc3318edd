// Inputs that used to crash, hang, lose output or do something else than asked: each now
// ends in a clear error naming the place, or works. (Issue: hardening.)
#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include <patchbay/model_yaml.hpp>

#include "support.hpp"

using namespace patchbay;
using patchbay::test::read_file;
using patchbay::test::TempDir;
using patchbay::test::write_file;

namespace {
constexpr auto npos = std::string::npos;

std::string only_error(const std::string& yaml) {
  LoadResult r = load_model_string(yaml, "m.yaml");
  REQUIRE(r.errors.size() == 1);
  return r.errors[0].str();
}
}  // namespace

TEST_CASE("SIGHUP stops a run as cleanly as Ctrl-C: sinks flushed, exit 130") {
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
  test::RunningCli cli({"run", "model.yaml"}, dir.path());
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  kill(cli.pid(), SIGHUP);
  auto r = cli.wait();
  CHECK(r.exit_code == 130);
  CHECK(r.err.find("patchbay: interrupted") != npos);
  std::string out = read_file(dir / "out.csv");
  CHECK(out.rfind("x\n0\n1\n", 0) == 0);
  CHECK(out.back() == '\n');
}

TEST_CASE("builtin.Printer writing to a full device fails the run with the reason") {
  TempDir dir;
  write_file(dir / "model.yaml",
             "patchbay:\n"
             "  components:\n"
             "    - {type: builtin.Iterator, name: src, args: {iters: 3}}\n"
             "    - {type: builtin.Printer, name: show}\n"
             "  connectors:\n"
             "    - {source: src.x, target: show.x}\n");
  std::string command = std::string("cd '") + dir.path().string() + "' && '" + PATCHBAY_CLI +
                        "' run model.yaml > /dev/full 2> err.txt";
  int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(read_file(dir / "err.txt").find("component 'show' failed in stop(): cannot write to standard output: No space left on device") != npos);
}

TEST_CASE("a sleep that is not finite, negative or longer than a day is a located error") {
  for (const char* seconds : {".inf", ".nan", "1e300", "-1"}) {
    CAPTURE(seconds);
    std::string e = only_error(std::string("patchbay:\n  components:\n"
                                           "    - {type: builtin.Iterator, name: src}\n"
                                           "    - {type: builtin.Sleep, name: nap, args: {seconds: ") + seconds + "}}\n"
                                           "    - {type: builtin.Checksum, name: sum, args: {path: x.json}}\n"
                                           "  connectors:\n    - {source: src.x, target: nap.x}\n    - {source: nap.y, target: sum.x}\n");
    CHECK(e.find("m.yaml:4:") == 0);
    CHECK(e.find("component 'nap' (builtin.Sleep): argument 'seconds' must be from 0 to 86400") != npos);
  }
}

TEST_CASE("an Iterator whose last value would overflow int64 is a located error") {
  std::string e = only_error("patchbay:\n  components:\n"
                             "    - {type: builtin.Iterator, name: src, args: {start: 9223372036854775800, iters: 10}}\n"
                             "    - {type: builtin.Checksum, name: sum, args: {path: x.json}}\n"
                             "  connectors:\n    - {source: src.x, target: sum.x}\n");
  CHECK(e.find("m.yaml:3:57: component 'src' (builtin.Iterator): argument 'start': start + iters - 1 does not fit in an int64") == 0);
  CHECK(load_model_string("patchbay:\n  components:\n"
                          "    - {type: builtin.Iterator, name: src, args: {start: 9223372036854775798, iters: 10}}\n"
                          "    - {type: builtin.Checksum, name: sum, args: {path: x.json}}\n"
                          "  connectors:\n    - {source: src.x, target: sum.x}\n")
            .ok());  // the last value is INT64_MAX: fine
}

TEST_CASE("a Printer with no inputs, which would never end, is a located error") {
  std::string e = only_error("patchbay:\n  components:\n"
                             "    - {type: builtin.Printer, name: show, args: {inputs: []}}\n");
  CHECK(e == "m.yaml:3:58: component 'show' (builtin.Printer): argument 'inputs' names no input");
}
