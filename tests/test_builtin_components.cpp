// The built-in components do what `patchbay components` says they do.
#include <doctest/doctest.h>

#include <regex>

#include <patchbay/model_yaml.hpp>
#include <patchbay/process.hpp>

#include "support.hpp"

using namespace patchbay;
using patchbay::test::read_file;
using patchbay::test::TempDir;
using patchbay::test::write_file;

namespace {
RunReport run_yaml(const std::string& yaml) {
  LoadResult r = load_model_string(yaml);
  REQUIRE_MESSAGE(r.ok(), format_errors(r.errors));
  return run(r.model);
}
}  // namespace

TEST_CASE("FileReader and FileWriter carry CSV fields, quoting and types through") {
  TempDir dir;
  write_file(dir / "in.csv", "name,n,ratio,flag\n\"Smith, J\",3,0.5,true\n\"say \"\"hi\"\"\",-4,2,false\n");
  auto report = run_yaml("patchbay:\n  components:\n"
                         "    - {type: builtin.FileReader, name: r, args: {path: " + (dir / "in.csv").string() + ", columns: [name, n, ratio, flag]}}\n"
                         "    - {type: builtin.FileWriter, name: w, args: {path: " + (dir / "out.csv").string() + ", fields: [name, n, ratio, flag]}}\n"
                         "  connectors:\n"
                         "    - {source: r.name, target: w.name}\n    - {source: r.n, target: w.n}\n"
                         "    - {source: r.ratio, target: w.ratio}\n    - {source: r.flag, target: w.flag}\n");
  CHECK_MESSAGE(report.ok, report.error);
  CHECK(read_file(dir / "out.csv") == "name,n,ratio,flag\n\"Smith, J\",3,0.5,true\n\"say \"\"hi\"\"\",-4,2,false\n");
}

TEST_CASE("FileReader and FileWriter read and write JSON Lines") {
  TempDir dir;
  write_file(dir / "in.jsonl", "{\"a\": 1, \"b\": [1, 2]}\n\n{\"a\": \"x\", \"b\": {\"k\": null}}\n");
  auto report = run_yaml("patchbay:\n  components:\n"
                         "    - {type: builtin.FileReader, name: r, args: {path: " + (dir / "in.jsonl").string() + ", columns: [a, b]}}\n"
                         "    - {type: builtin.FileWriter, name: w, args: {path: " + (dir / "out.jsonl").string() + ", fields: [b, a]}}\n"
                         "  connectors:\n    - {source: r.a, target: w.a}\n    - {source: r.b, target: w.b}\n");
  CHECK_MESSAGE(report.ok, report.error);
  CHECK(read_file(dir / "out.jsonl") == "{\"b\":[1,2],\"a\":1}\n{\"b\":{\"k\":null},\"a\":\"x\"}\n");
}

TEST_CASE("FileReader takes its columns from the CSV header when none are given") {
  TempDir dir;
  write_file(dir / "in.csv", "p,q\n1,2\n");
  LoadResult r = load_model_string("patchbay:\n  components:\n"
                                   "    - {type: builtin.FileReader, name: r, args: {path: " + (dir / "in.csv").string() + "}}\n"
                                   "    - {type: builtin.Add, name: add}\n"
                                   "    - {type: builtin.Printer, name: print}\n"
                                   "  connectors:\n    - {source: r.p, target: add.a}\n    - {source: r.q, target: add.b}\n"
                                   "    - {source: add.sum, target: print.x}\n");
  CHECK_MESSAGE(r.ok(), format_errors(r.errors));
}

TEST_CASE("Checksum notices values out of order") {
  TempDir dir;
  auto report = run_yaml("patchbay:\n  components:\n"
                         "    - {type: builtin.FileReader, name: r, args: {path: " + (dir / "in.csv").string() + ", columns: [v]}}\n"
                         "    - {type: builtin.Checksum, name: c, args: {path: " + (dir / "sum.json").string() + "}}\n"
                         "  connectors:\n    - {source: r.v, target: c.x}\n");
  CHECK_FALSE(report.ok);  // in.csv does not exist yet: init fails cleanly
  write_file(dir / "in.csv", "v\n1\n2\n4\n3\n");
  report = run_yaml("patchbay:\n  components:\n"
                    "    - {type: builtin.FileReader, name: r, args: {path: " + (dir / "in.csv").string() + ", columns: [v]}}\n"
                    "    - {type: builtin.Checksum, name: c, args: {path: " + (dir / "sum.json").string() + "}}\n"
                    "  connectors:\n    - {source: r.v, target: c.x}\n");
  CHECK_MESSAGE(report.ok, report.error);
  CHECK(read_file(dir / "sum.json") == "{\"count\":4,\"sum\":10,\"ordered\":false}\n");
}

TEST_CASE("Timestamper writes ISO 8601 UTC times, Busy and Sleep pass values on, Add and Scale compute") {
  TempDir dir;
  auto report = run_yaml("patchbay:\n  components:\n"
                         "    - {type: builtin.Iterator, name: i, args: {iters: 3, start: 1}}\n"
                         "    - {type: builtin.Busy, name: busy, args: {seconds: 0.001}}\n"
                         "    - {type: builtin.Sleep, name: nap, args: {seconds: 0.001}}\n"
                         "    - {type: builtin.Add, name: add}\n"
                         "    - {type: builtin.Scale, name: half, args: {factor: 0.5}}\n"
                         "    - {type: builtin.Timestamper, name: ts}\n"
                         "    - {type: builtin.FileWriter, name: w, args: {path: " + (dir / "out.csv").string() + ", fields: [sum, half, time]}}\n"
                         "  connectors:\n"
                         "    - {source: i.x, target: busy.x}\n    - {source: i.x, target: nap.x}\n"
                         "    - {source: busy.y, target: add.a}\n    - {source: nap.y, target: add.b}\n"
                         "    - {source: add.sum, target: half.x}\n    - {source: add.sum, target: w.sum}\n"
                         "    - {source: half.y, target: w.half}\n"
                         "    - {source: i.x, target: ts.x}\n    - {source: ts.timestamp, target: w.time}\n");
  CHECK_MESSAGE(report.ok, report.error);
  std::string out = read_file(dir / "out.csv");
  std::regex row(R"(sum,half,time\n2,1\.0,(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)\n4,2\.0,\S+Z\n6,3\.0,\S+Z\n)");
  CHECK_MESSAGE(std::regex_match(out, row), out);
}
