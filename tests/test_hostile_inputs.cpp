// Inputs that used to crash, hang, lose output or do something else than asked: each now
// ends in a clear error naming the place, or works. (Issue: hardening.)
#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <cstdlib>
#include <stdlib.h>
#include <thread>

#include <zmq.hpp>

#include <patchbay/backend/channel.hpp>
#include <patchbay/model_yaml.hpp>
#include <patchbay/process.hpp>

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

TEST_CASE("a duplicate key is an error at the second one, not a silent first-wins") {
  LoadResult r = load_model_string("patchbay:\n  components: []\n  components: []\n", "m.yaml");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].str() == "m.yaml:3:3: duplicate key 'components' (first at line 2, column 3)");
  r = load_model_string("patchbay:\n  components:\n    - {type: builtin.Iterator, name: a, args: {iters: 1, iters: 2}}\n",
                        "m.yaml");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].str() == "m.yaml:3:58: duplicate key 'iters' (first at line 3, column 48)");
}

TEST_CASE("a second YAML document is an error, not ignored") {
  LoadResult r = load_model_string("patchbay:\n  components: []\n---\npatchbay:\n  components: []\n", "m.yaml");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].str().rfind("m.yaml:3:1: a second YAML document", 0) == 0);
}

TEST_CASE("an alias bomb is stopped at a million values, quickly and in little memory") {
  std::string yaml = "patchbay:\n  components: []\n  x0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
  for (int i = 1; i <= 9; ++i) {
    yaml += "  x" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) yaml += (k ? ", *a" : "*a") + std::to_string(i - 1);
    yaml += "]\n";
  }
  auto start = std::chrono::steady_clock::now();
  LoadResult r = load_model_string(yaml, "m.yaml");  // 10^10 values if expanded
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("the model holds more than 1000000 values once its aliases are expanded") == 0);
}

TEST_CASE("nesting deeper than 64 levels is a located error, however deep") {
  for (int depth : {100, 5000}) {
    CAPTURE(depth);
    LoadResult r = load_model_string("patchbay:\n  components: " + std::string(depth, '[') + std::string(depth, ']') + "\n",
                                     "m.yaml");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].str().rfind("m.yaml:2:", 0) == 0);
    CHECK(r.errors[0].message == "maps and lists are nested more than 64 levels deep");
  }
}

TEST_CASE("a model path that is a device or too large is refused before it is read") {
  LoadResult r = load_model_file("/dev/zero");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].str() == "/dev/zero: cannot read the model file: it is not a regular file");
  TempDir dir;
  write_file(dir / "big.yaml", "patchbay:\n  components: []\n" + std::string(200, '#') + "\n");
  setenv("PATCHBAY_MAX_MODEL_BYTES", "100", 1);
  r = load_model_file((dir / "big.yaml").string());
  unsetenv("PATCHBAY_MAX_MODEL_BYTES");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "the model file is larger than 100 bytes (PATCHBAY_MAX_MODEL_BYTES raises the limit)");
  CHECK(load_model_file((dir / "big.yaml").string()).ok());
}

TEST_CASE("a channel capacity beyond a million values is a located error, not gigabytes allocated") {
  LoadResult r = load_model_string("patchbay:\n  connector_builder: {capacity: 100000000}\n  components: []\n", "m.yaml");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].str() ==
        "m.yaml:2:33: expected a positive integer for the channel capacity (at most 1048576, PATCHBAY_MAX_CAPACITY), got "
        "'100000000'");
  setenv("PATCHBAY_MAX_CAPACITY", "200000000", 1);
  r = load_model_string("patchbay:\n  connector_builder: {capacity: 100000000}\n  components: []\n", "m.yaml");
  unsetenv("PATCHBAY_MAX_CAPACITY");
  CHECK(r.ok());
  // Not only in the file: from --set (or C++) too, before anything allocates it.
  TempDir dir;
  write_file(dir / "model.yaml", "patchbay:\n  components: []\n");
  auto cli = test::run_cli({"validate", "model.yaml", "--set", "connector_builder.capacity=100000000"}, dir.path());
  CHECK(cli.exit_code == 2);
  CHECK(cli.err == "connector_builder: channel capacity 100000000 is more than 1048576 (PATCHBAY_MAX_CAPACITY raises the "
                   "limit)\n");
}

TEST_CASE("a channel that cannot be opened names its connector") {
  TempDir dir;
  write_file(dir / "model.yaml",
             "patchbay:\n"
             "  process: {type: multiprocess}\n"
             "  components:\n"
             "    - {type: builtin.Iterator, name: src, worker: 0}\n"
             "    - {type: builtin.Checksum, name: sum, args: {path: sum.json}, worker: 1}\n"
             "  connectors:\n"
             // 192.0.2.1 (TEST-NET-1) is no address of this machine: binding to it fails.
             "    - {source: src.x, target: sum.x, channel: {type: zmq, transport: tcp, host: 192.0.2.1}}\n");
  auto r = test::run_cli({"run", "model.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("patchbay: worker 1: connector src.x -> sum.x: Cannot assign requested address") != npos);
}

TEST_CASE("a mistyped command is named, with the command it is closest to") {
  auto r = test::run_cli({"rn", "model.yaml"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("patchbay: unknown command 'rn' (did you mean run?); the commands are run, validate, components, "
                   "schema, diagram") == 0);
  r = test::run_cli({"frobnicate"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("patchbay: unknown command 'frobnicate'; the commands are") == 0);
}

TEST_CASE("control characters in names reach the terminal escaped") {
  TempDir dir;
  write_file(dir / "model.yaml",
             "patchbay:\n  components:\n    - {type: builtin.Iteratr, name: \"evil\\e[2J\\x07\"}\n");
  auto r = test::run_cli({"validate", "model.yaml"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("component 'evil\\x1b[2J\\x07': unknown component type 'builtin.Iteratr'") != npos);
  CHECK(r.err.find('\x1b') == npos);
}

TEST_CASE("names and paths that are not UTF-8 run under multiprocess as they do locally") {
  TempDir dir;
  for (const char* process : {"local", "multiprocess"}) {
    CAPTURE(process);
    write_file(dir / "model.yaml", std::string("patchbay:\n  process: {type: ") + process +
                                       "}\n  components:\n"
                                       "    - {type: builtin.Iterator, name: \"src\xff\", args: {iters: 3}, worker: 0}\n"
                                       "    - {type: builtin.FileWriter, name: w, args: {path: \"out\xfe.csv\"}, worker: 1}\n"
                                       "  connectors:\n    - {source: \"src\xff.x\", target: w.x}\n");
    auto r = test::run_cli({"run", "model.yaml"}, dir.path());
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(read_file(dir / "out\xfe.csv") == "x\n0\n1\n2\n");
    std::filesystem::remove(dir / "out\xfe.csv");
  }
}

namespace {
RunReport run_model(const std::string& yaml) {
  LoadResult r = load_model_string(yaml, "m.yaml");
  REQUIRE_MESSAGE(r.ok(), format_errors(r.errors));
  return run(r.model);
}
}  // namespace

TEST_CASE("a FileReader on a folder says it is a folder") {
  TempDir dir;
  std::filesystem::create_directory(dir / "data.csv");
  LoadResult r = load_model_string("patchbay:\n  components:\n"
                                   "    - {type: builtin.FileReader, name: r, args: {path: " + (dir / "data.csv").string() +
                                       "}}\n", "m.yaml");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "component 'r' (builtin.FileReader): cannot read '" + (dir / "data.csv").string() +
                                   "': it is a folder");
}

TEST_CASE("a FileReader stops at a line longer than max_line, naming the file and line, and keeps what came before") {
  TempDir dir;
  write_file(dir / "in.csv", "x\n1\n2\n" + std::string(5000, '7') + "\n4\n");
  auto report = run_model("patchbay:\n  components:\n"
                          "    - {type: builtin.FileReader, name: r, args: {path: " + (dir / "in.csv").string() +
                          ", max_line: 1000}}\n"
                          "    - {type: builtin.FileWriter, name: w, args: {path: " + (dir / "out.csv").string() + "}}\n"
                          "  connectors:\n    - {source: r.x, target: w.x}\n");
  CHECK_FALSE(report.ok);
  CHECK(report.error == "component 'r' failed at step 3: " + (dir / "in.csv").string() +
                            ":4: a line longer than 1000 bytes (max_line raises the limit)");
  CHECK(read_file(dir / "out.csv") == "x\n1\n2\n");  // what was read before the failure reaches the sink
}

TEST_CASE("infinities and NaN are written to CSV as inf, -inf and nan, and read back as numbers") {
  TempDir dir;
  write_file(dir / "in.csv", "x\ninf\n-inf\nnan\n1.5\n");
  auto report = run_model("patchbay:\n  components:\n"
                          "    - {type: builtin.FileReader, name: r, args: {path: " + (dir / "in.csv").string() + "}}\n"
                          "    - {type: builtin.Scale, name: s, args: {factor: 2}}\n"
                          "    - {type: builtin.FileWriter, name: w, args: {path: " + (dir / "out.csv").string() + "}}\n"
                          "  connectors:\n    - {source: r.x, target: s.x}\n    - {source: s.y, target: w.x}\n");
  CHECK_MESSAGE(report.ok, report.error);
  CHECK(read_file(dir / "out.csv") == "x\ninf\n-inf\nnan\n3.0\n");
}

TEST_CASE("a Checksum of values near INT64_MAX sums exactly and does not call a wrap-around ordered") {
  TempDir dir;
  auto report = run_model("patchbay:\n  components:\n"
                          "    - {type: builtin.Iterator, name: i, args: {start: 9223372036854775805, iters: 3}}\n"
                          "    - {type: builtin.Checksum, name: c, args: {path: " + (dir / "sum.json").string() + "}}\n"
                          "  connectors:\n    - {source: i.x, target: c.x}\n");
  CHECK_MESSAGE(report.ok, report.error);
  CHECK(read_file(dir / "sum.json") == "{\"count\":3,\"sum\":27670116110564327418,\"ordered\":true}\n");
}

TEST_CASE("patchbay-worker with bad arguments says how it is used and exits 2, without aborting") {
  TempDir dir;
  const std::string worker = std::string(PATCHBAY_BUILD_DIR) + "/engine/patchbay/patchbay-worker";
  for (const std::string args : {"", "nosuchtype", "multiprocess", "multiprocess ipc:///nowhere x", "--plugin"}) {
    CAPTURE(args);
    int status = std::system(("'" + worker + "' " + args + " 2> '" + (dir / "err").string() + "'").c_str());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    std::string err = read_file(dir / "err");
    CHECK((err.find("usage: patchbay-worker") == 0 || err.find("patchbay-worker: unknown process type") == 0));
  }
}

TEST_CASE("under multiprocess too, a failure keeps what reached the sink in another worker before it") {
  TempDir dir;
  write_file(dir / "in.csv", "x\n1\n2\n3\n" + std::string(5000, '7') + "\n4\n");
  write_file(dir / "model.yaml", "patchbay:\n  process: {type: multiprocess}\n  components:\n"
                                 "    - {type: builtin.FileReader, name: r, args: {path: in.csv, max_line: 1000}, worker: 0}\n"
                                 "    - {type: builtin.Passthrough, name: p, worker: 1}\n"
                                 "    - {type: builtin.FileWriter, name: w, args: {path: out.csv}, worker: 1}\n"
                                 "  connectors:\n    - {source: r.x, target: p.x}\n    - {source: p.y, target: w.x}\n");
  auto r = test::run_cli({"run", "model.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("patchbay: component 'r' failed at step 4: in.csv:5: a line longer than 1000 bytes") != npos);
  CHECK(read_file(dir / "out.csv") == "x\n1\n2\n3\n");
}

namespace {
// A zmq receiving end opened alone, as a worker opens it; its endpoint is "DATA CONTROL".
std::unique_ptr<Channel> zmq_receiver(std::int64_t max_message = 0, std::size_t capacity = 0) {
  ChannelSpec spec;
  spec.type = "zmq";
  spec.capacity = capacity;
  if (max_message) spec.options.emplace_back("max_message_bytes", Value(max_message));
  EdgePlacement edge;
  edge.connector = "src.x -> sum.x";
  edge.same_process = false;
  edge.ends = EdgePlacement::Ends::receive;
  return find_channel_backend("zmq")->open(spec, edge);
}

void push_to(const std::string& endpoint, const std::vector<std::string>& frames) {
  zmq::context_t context(1);
  zmq::socket_t push(context, zmq::socket_type::push);
  push.set(zmq::sockopt::linger, 1000);
  push.connect(endpoint.substr(0, endpoint.find(' ')));
  for (std::size_t i = 0; i < frames.size(); ++i)
    push.send(zmq::buffer(frames[i]), i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
}
}  // namespace

TEST_CASE("garbage and truncated frames on a channel socket are an error naming the connector, not an abort") {
  const std::vector<std::vector<std::string>> hostile = {
      {std::string("\xff\xfe garbage", 10)},
      {std::string("\x02\x00\x00\x10\x00\x00\x00", 7)},  // a value record, truncated
      {std::string("\x01\x00\x00\x05\x00int64\x02\x00\x00\x08\x00\x00\x00\x01\x02", 18)},  // value shorter than its length
      {std::string("\x03\x00\x00", 3)},  // a body record with no body frame
  };
  for (const auto& frames : hostile) {
    auto receiver = zmq_receiver();
    push_to(receiver->endpoint(), frames);
    std::string error;
    for (int i = 0; i < 500 && error.empty(); ++i) {
      Payload out;
      try {
        receiver->try_receive(out);
      } catch (const std::runtime_error& e) {
        error = e.what();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CAPTURE(frames[0].size());
    CHECK(error.rfind("connector src.x -> sum.x: malformed data from the sending end: ", 0) == 0);
  }
}

TEST_CASE("a frame larger than max_message_bytes is refused by the transport, never buffered") {
  auto receiver = zmq_receiver(1 << 20);
  push_to(receiver->endpoint(), {std::string(4 << 20, '\x02')});  // 4 MiB of 'value' records
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Payload out;
  CHECK(receiver->try_receive(out) == ChannelOp::empty);  // dropped with its connection; nothing read
}

TEST_CASE("a value larger than the channel takes fails at the sender, naming the connector") {
  TempDir dir;
  write_file(dir / "model.yaml",
             "patchbay:\n  process: {type: multiprocess}\n  components:\n"
             "    - {type: builtin.Vectors, name: v, args: {count: 2, size: 300000}, worker: 0}\n"
             "    - {type: builtin.VectorSum, name: s, worker: 1}\n"
             "    - {type: builtin.FileWriter, name: w, args: {path: out.csv, fields: [sum]}, worker: 1}\n"
             "  connectors:\n"
             "    - {source: v.v, target: s.v, channel: {type: zmq, max_message_bytes: 1048576}}\n"
             "    - {source: s.sum, target: w.sum}\n");
  auto r = test::run_cli({"run", "model.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("connector v.v -> s.v: a value of 2400000 bytes is larger than the channel takes (max_message_bytes "
                   "1048576)") != npos);
}

// --- what a new user tripped over ------------------------------------------------------

namespace {
const char* kTwoComponents =
    "patchbay:\n  components:\n"
    "    - {type: builtin.Iterator, name: src, args: {iters: 3}, worker: 0}\n"
    "    - {type: builtin.FileWriter, name: out, args: {path: out.csv}, worker: 1}\n"
    "  connectors:\n    - {source: src.x, target: out.x}\n";
}  // namespace

TEST_CASE("--set reaches the process and the default channel, so a run changes either without editing the file") {
  TempDir dir;
  write_file(dir / "model.yaml", kTwoComponents);
  auto r = test::run_cli({"run", "model.yaml", "--set", "process.type=multiprocess", "--set", "process.args.workers=2",
                          "--set", "connector_builder.type=zmq", "--set", "connector_builder.transport=tcp"},
                         dir.path());
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(read_file(dir / "out.csv") == "x\n0\n1\n2\n");
  r = test::run_cli({"validate", "model.yaml", "--set", "process.args.workers=2"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "--set process.args.workers: process 'local': unknown argument 'workers' (arguments: threads)\n");
}

TEST_CASE("--set with a mistyped component name suggests the one meant") {
  TempDir dir;
  write_file(dir / "model.yaml", kTwoComponents);
  auto r = test::run_cli({"validate", "model.yaml", "--set", "sr.iters=5"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--set sr.iters: no component named 'sr' (did you mean src?)") == 0);
}

TEST_CASE("a default channel that cannot carry connectors between workers is one error, at connector_builder") {
  TempDir dir;
  write_file(dir / "model.yaml", kTwoComponents);
  auto r = test::run_cli({"validate", "model.yaml", "--set", "process.type=multiprocess", "--set",
                          "connector_builder.type=inproc"},
                         dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "connector_builder: channel 'inproc' cannot carry 1 connector(s): src.x -> out.x (its ends run in "
                 "different processes (workers 0 and 1)) (name another channel type there, or `auto`)\n");
}

TEST_CASE("a model's plugin given by bare name is the one already loaded with --plugin") {
  TempDir dir;
  std::filesystem::path good = std::filesystem::canonical(PATCHBAY_TEST_PLUGIN_GOOD);
  write_file(dir / "model.yaml", "patchbay:\n  plugins: [test_plugin_good]\n  components:\n"
                                 "    - {type: builtin.Iterator, name: src, args: {iters: 2}}\n"
                                 "    - {type: good.Gain, name: g}\n"
                                 "    - {type: builtin.FileWriter, name: out, args: {path: out.csv}}\n"
                                 "  connectors:\n    - {source: src.x, target: g.x}\n    - {source: g.y, target: out.x}\n");
  auto r = test::run_cli({"run", "model.yaml", "--plugin", good.string()}, dir.path());
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(read_file(dir / "out.csv") == "x\n0.0\n2.0\n");
}

TEST_CASE("fuzz regression: text the first document does not take is an error, not an endless read") {
  // Found by fuzz_model_yaml: yaml-cpp's LoadAll never ended on this (memory grew until
  // the process was killed), and Load alone ignores everything after the first line.
  auto start = std::chrono::steady_clock::now();
  LoadResult r = load_model_string("# yaml-lan args: {iters: 20}\n      worker: 1\n    - type: builtin.Sleep\n"
                                   "      name: slow-sleep\n",
                                   "m.yaml");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].str().rfind("m.yaml:3:5: a second YAML document", 0) == 0);
}

TEST_CASE("fuzz regression: a map key that is empty or not text is an error, so a model always writes back readably") {
  // Found by fuzz_model_yaml: `,,` in a flow map made options with an empty key, which
  // to_yaml wrote as `: ~` and which read back as duplicate keys.
  LoadResult r = load_model_string("patchbay:\n  components: []\n  connector_builder: {type: inproc,, capacity: 2}\n",
                                   "m.yaml");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "a map key must be text, not empty");
  r = load_model_string("patchbay:\n  components: []\n  [a, b]: 1\n", "m.yaml");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].str() == "m.yaml:3:3: a map key must be text, not a list");
}

TEST_CASE("every command refuses a model path that is a device") {
  for (const char* command : {"run", "validate", "diagram"}) {
    CAPTURE(command);
    auto r = test::run_cli({command, "/dev/zero"});
    CHECK(r.exit_code == 2);
    CHECK(r.err == "/dev/zero: cannot read the model file: it is not a regular file\n");
  }
}

TEST_CASE("a FileWriter that cannot write its last bytes fails with the reason") {
  auto r = run_model("patchbay:\n  components:\n"
                     "    - {type: builtin.Iterator, name: src, args: {iters: 3}}\n"
                     "    - {type: builtin.FileWriter, name: out, args: {path: /dev/full}}\n"
                     "  connectors:\n    - {source: src.x, target: out.x}\n");
  CHECK_FALSE(r.ok);
  CHECK(r.error == "component 'out' failed in stop(): cannot write '/dev/full': No space left on device");
}

TEST_CASE("a file a model reads is found beside the model from any folder; one given with --set, from the current folder") {
  TempDir dir;
  std::filesystem::create_directories(dir / "models" / "data");
  std::filesystem::create_directories(dir / "elsewhere");
  write_file(dir / "models" / "data" / "in.csv", "x\n1\n2\n");
  write_file(dir / "elsewhere" / "other.csv", "x\n7\n");
  for (const char* process : {"local", "multiprocess"}) {
    CAPTURE(process);
    write_file(dir / "models" / "model.yaml",
               std::string("patchbay:\n  process: {type: ") + process +
                   "}\n  components:\n"
                   "    - {type: builtin.FileReader, name: r, args: {path: data/in.csv}, worker: 0}\n"
                   "    - {type: builtin.FileWriter, name: w, args: {path: out.csv}, worker: 1}\n"
                   "  connectors:\n    - {source: r.x, target: w.x}\n");
    auto r = test::run_cli({"run", "../models/model.yaml"}, dir / "elsewhere");
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(read_file(dir / "elsewhere" / "out.csv") == "x\n1\n2\n");  // written where it ran
    r = test::run_cli({"run", "../models/model.yaml", "--set", "r.path=other.csv"}, dir / "elsewhere");
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(read_file(dir / "elsewhere" / "out.csv") == "x\n7\n");
  }
}

TEST_CASE("values beyond the sender's credit are an error naming the connector, not an overflow") {
  auto receiver = zmq_receiver(0, 4);
  std::string batch("\x01\x00\x00\x05\x00int64", 10);  // TYPE 0 = int64
  for (int i = 0; i < 10; ++i) batch += std::string("\x02\x00\x00\x08\x00\x00\x00", 7) + std::string(8, '\x01');
  push_to(receiver->endpoint(), {batch});
  std::string error;
  for (int i = 0; i < 500 && error.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    Payload out;
    try {
      while (receiver->try_receive(out) == ChannelOp::ok) {
      }
    } catch (const std::runtime_error& e) {
      error = e.what();
    }
  }
  CHECK(error == "connector src.x -> sum.x: malformed data from the sending end: the sending end sent more than its credit");
}
