// Every error the model loader reports: what it says, and the line and column it points
// at. Each model is written one line per string literal, with the line number in a
// comment, so the expected positions can be read off the text (columns are 1-based).
#include <doctest/doctest.h>

#include <ostream>
#include <string>
#include <string_view>

#include <patchbay/model_yaml.hpp>

#include "support.hpp"

using namespace patchbay;

namespace {

constexpr auto npos = std::string::npos;

// A line and column, printable so that a failed CHECK shows both.
struct At {
  int line = 0;
  int column = 0;
  bool operator==(const At&) const = default;
};
std::ostream& operator<<(std::ostream& os, const At& a) { return os << a.line << ":" << a.column; }
At at(const Error& e) { return {e.where.line, e.where.column}; }

// The one error whose message contains `part` (null, and a failed check, when there is
// none or more than one).
const Error* error_with(const LoadResult& r, std::string_view part) {
  const Error* found = nullptr;
  int count = 0;
  for (const auto& e : r.errors) {
    if (e.message.find(part) != npos) {
      found = &e;
      ++count;
    }
  }
  CHECK_MESSAGE(count == 1, "errors containing \"" << part << "\": " << count << "\n" << format_errors(r.errors));
  return count == 1 ? found : nullptr;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Reading the file

TEST_CASE("malformed YAML is reported alone, as malformed YAML, where the parser stopped") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "  connectors: [{source: input.x, target: show.x}\n",    // 4: '[' (column 15) never closed
      "bad.yaml");
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);  // no model checks on top of a file that did not parse
  const Error& e = r.errors[0];
  CHECK(e.message.rfind("malformed YAML", 0) == 0);
  CHECK(e.message == "malformed YAML: this bracket is never closed");
  CHECK(e.where.file == "bad.yaml");
}

TEST_CASE("an unclosed bracket is reported where the bracket was opened") {
  // The parser itself only reports the end of the text (5:1); the loader finds the '['.
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "  connectors: [{source: input.x, target: show.x}\n",    // 4: '[' (column 15) never closed
      "bad.yaml");
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.rfind("malformed YAML", 0) == 0);
  CHECK(at(r.errors[0]) == At{4, 15});
}

TEST_CASE("a mis-indented line is malformed YAML at that line") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - type: builtin.Iterator\n"                         // 3
      "     name: input\n",                                    // 4: one space short
      "bad.yaml");
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.rfind("malformed YAML", 0) == 0);
  CHECK(at(r.errors[0]) == At{4, 6});  // the key that is out of line
}

TEST_CASE("a model without the 'patchbay' key says so at the top of the file") {
  LoadResult r = load_model_string(
      "components:\n"                                          // 1
      "  - {type: builtin.Iterator, name: input}\n");          // 2
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("expected a map with the key 'patchbay'") != npos);
  CHECK(at(r.errors[0]) == At{1, 1});
}

TEST_CASE("an empty model file says it needs the 'patchbay' key") {
  LoadResult r = load_model_string("", "empty.yaml");
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].where.file == "empty.yaml");
  CHECK(r.errors[0].message.find("'patchbay'") != npos);
  CHECK(r.errors[0].str().rfind("empty.yaml: ", 0) == 0);  // no line in a file with none
}

TEST_CASE("a model without a components list says so at the 'patchbay' map") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  process: {type: local}\n");                           // 2
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("the model has no 'components' list") != npos);
  CHECK(at(r.errors[0]) == At{2, 3});
}

TEST_CASE("components given as a map instead of a list are reported at the map") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    input: {type: builtin.Iterator}\n");                // 3
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("expected a list for 'components', got a map") != npos);
  CHECK(at(r.errors[0]) == At{3, 5});
}

// ---------------------------------------------------------------------------------------
// Unknown keys and malformed entries

TEST_CASE("an unknown key under 'patchbay' is reported at the key with the keys allowed") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "  conectors: []\n");                                    // 4
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  const Error& e = r.errors[0];
  CHECK(e.message.find("unknown key 'conectors' in patchbay") != npos);
  CHECK(e.message.find("connectors") != e.message.rfind("conectors"));
  CHECK(e.message.find("expected one of: plugins, process, connector_builder, components, connectors") != npos);
  CHECK(at(e) == At{4, 3});
}

TEST_CASE("a key beside 'patchbay' at the top of the file is reported, not ignored") {
  // A connectors list indented one level too little ends up beside 'patchbay'; saying
  // so is more helpful than only "input 'x' is not connected".
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - {type: builtin.Printer, name: show}\n"            // 4
      "connectors:\n"                                          // 5: should be under patchbay
      "  - {source: input.x, target: show.x}\n");              // 6
  CAPTURE(format_errors(r.errors));
  const Error* e = error_with(r, "unknown key 'connectors'");
  REQUIRE(e);
  CHECK(at(*e) == At{5, 1});
}

TEST_CASE("an unknown key in a component is reported at the key with the keys allowed") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - type: builtin.Iterator\n"                         // 3
      "      name: input\n"                                    // 4
      "      arg: {iters: 3}\n");                              // 5
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  const Error& e = r.errors[0];
  CHECK(e.message.find("unknown key 'arg' in a component") != npos);
  CHECK(e.message.find("type, name, args, initial_values, worker") != npos);
  CHECK(at(e) == At{5, 7});
}

TEST_CASE("a component without a type or a name is reported at the component") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {name: input}\n"                                  // 3
      "    - type: builtin.Iterator\n"                         // 4
      "      args: {iters: 3}\n");                             // 5
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 2);
  const Error* no_type = error_with(r, "component without 'type'");
  const Error* no_name = error_with(r, "component without 'name'");
  REQUIRE(no_type);
  REQUIRE(no_name);
  CHECK(at(*no_type) == At{3, 7});
  CHECK(at(*no_name) == At{4, 7});
}

TEST_CASE("a negative worker number is reported at the value") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - type: builtin.Iterator\n"                         // 3
      "      name: input\n"                                    // 4
      "      worker: -1\n");                                   // 5
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("expected a worker number (0 or more), got '-1'") != npos);
  CHECK(at(r.errors[0]) == At{5, 15});
}

TEST_CASE("an unknown key in the process is reported at the key") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  process: {type: local, threads: 2}\n"                 // 2
      "  components:\n"                                        // 3
      "    - {type: builtin.Iterator, name: input}\n");        // 4
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("unknown key 'threads' in process (expected one of: type, args)") != npos);
  CHECK(at(r.errors[0]) == At{2, 26});
}

TEST_CASE("a connector without a target is reported at the connector") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "  connectors:\n"                                        // 4
      "    - {source: input.x}\n");                            // 5
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("connector without 'target'") != npos);
  CHECK(at(r.errors[0]) == At{5, 7});
}

TEST_CASE("a connector without a source is reported at the connector") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - {type: builtin.Printer, name: show}\n"            // 4
      "  connectors:\n"                                        // 5
      "    - {source: input.x, target: show.x}\n"              // 6
      "    - target: show.x\n");                               // 7
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("connector without 'source'") != npos);
  CHECK(at(r.errors[0]) == At{7, 7});
}

TEST_CASE("an unknown key in a connector is reported at the key") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - {type: builtin.Printer, name: show}\n"            // 4
      "  connectors:\n"                                        // 5
      "    - source: input.x\n"                                // 6
      "      target: show.x\n"                                 // 7
      "      capacity: 4\n");                                  // 8
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("unknown key 'capacity' in a connector (expected one of: source, target, channel)") !=
        npos);
  CHECK(at(r.errors[0]) == At{8, 7});
}

TEST_CASE("a channel capacity of 0 or a word is reported at the value") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  connector_builder: {type: inproc, capacity: 0}\n"     // 2
      "  components:\n"                                        // 3
      "    - {type: builtin.Iterator, name: input}\n"          // 4
      "    - {type: builtin.Printer, name: show}\n"            // 5
      "  connectors:\n"                                        // 6
      "    - source: input.x\n"                                // 7
      "      target: show.x\n"                                 // 8
      "      channel: {capacity: x}\n");                       // 9
  CAPTURE(format_errors(r.errors));
  const Error* zero = error_with(r, "got '0'");
  const Error* word = error_with(r, "got 'x'");
  REQUIRE(zero);
  REQUIRE(word);
  CHECK(zero->message.find("expected a positive integer for the channel capacity") != npos);
  CHECK(word->message.find("expected a positive integer for the channel capacity") != npos);
  CHECK(at(*zero) == At{2, 47});
  CHECK(at(*word) == At{9, 27});
}

TEST_CASE("a connector that was reported is not reported again as leaving its target unconnected") {
  // A connector dropped while reading (bad channel, no source) is not in the model; the
  // graph check must not report its target as unconnected on top of the first error.
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - {type: builtin.Printer, name: show}\n"            // 4
      "  connectors:\n"                                        // 5
      "    - {source: input.x, target: show.x, channel: {capacity: 0}}\n");  // 6
  CAPTURE(format_errors(r.errors));
  CHECK(r.errors.size() == 1);
  CHECK(r.errors.at(0).message.find("channel capacity") != npos);

  LoadResult no_source = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Printer, name: show}\n"            // 3
      "  connectors:\n"                                        // 4
      "    - {target: show.x}\n");                             // 5
  CAPTURE(format_errors(no_source.errors));
  CHECK(no_source.errors.size() == 1);
}

TEST_CASE("an unknown channel type is reported at the connector with the types available") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - {type: builtin.Printer, name: show}\n"            // 4
      "  connectors:\n"                                        // 5
      "    - source: input.x\n"                                // 6
      "      target: show.x\n"                                 // 7
      "      channel: {type: carrier-pigeon}\n");              // 8
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  const Error& e = r.errors[0];
  CHECK(e.message.find("connector input.x -> show.x") != npos);
  CHECK(e.message.find("unknown channel type 'carrier-pigeon'") != npos);
  CHECK(e.message.find("available: auto, inproc") != npos);
  CHECK(at(e) == At{6, 7});
}

// ---------------------------------------------------------------------------------------
// Component types and arguments

TEST_CASE("an unknown component type is reported at its type with the nearest names") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - type: builtin.Iteratr\n"                          // 3
      "      name: input\n"                                    // 4
      "    - {type: builtin.Printer, name: show}\n"            // 5
      "  connectors:\n"                                        // 6
      "    - {source: input.x, target: show.x}\n");            // 7
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);  // the connector from it is not reported again
  const Error& e = r.errors[0];
  CHECK(e.message.find("component 'input'") != npos);
  CHECK(e.message.find("unknown component type 'builtin.Iteratr'") != npos);
  CHECK(e.message.find("did you mean builtin.Iterator") != npos);
  CHECK(at(e) == At{3, 13});
}

TEST_CASE("a component type far from every registered name gets no suggestion") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: acme.QuantumFluxCapacitor, name: q}\n");   // 3
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("unknown component type 'acme.QuantumFluxCapacitor'") != npos);
  CHECK(r.errors[0].message.find("did you mean") == npos);
  CHECK(at(r.errors[0]) == At{3, 14});
}

TEST_CASE("a missing required argument is reported at the component") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - type: builtin.Checksum\n"                         // 4
      "      name: check\n"                                    // 5
      "  connectors:\n"                                        // 6
      "    - {source: input.x, target: check.x}\n");           // 7
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  const Error& e = r.errors[0];
  CHECK(e.message.find("component 'check' (builtin.Checksum)") != npos);
  CHECK(e.message.find("missing required argument 'path'") != npos);
  CHECK(at(e) == At{4, 7});
}

TEST_CASE("an ill-typed argument is reported at its value") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - type: builtin.Iterator\n"                         // 3
      "      name: input\n"                                    // 4
      "      args: {iters: abc}\n"                             // 5
      "    - type: builtin.Sleep\n"                            // 6
      "      name: nap\n"                                      // 7
      "      args:\n"                                          // 8
      "        seconds: [1, 2]\n"                              // 9
      "  connectors:\n"                                        // 10
      "    - {source: input.x, target: nap.x}\n");             // 11
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 2);
  const Error* iters = error_with(r, "argument 'iters'");
  const Error* seconds = error_with(r, "argument 'seconds'");
  REQUIRE(iters);
  REQUIRE(seconds);
  CHECK(iters->message.find("component 'input' (builtin.Iterator)") != npos);
  CHECK(iters->message.find("\"abc\"") != npos);
  CHECK(at(*iters) == At{5, 21});
  CHECK(seconds->message.find("component 'nap' (builtin.Sleep)") != npos);
  CHECK(seconds->message.find("got list") != npos);
  CHECK(at(*seconds) == At{9, 18});
}

TEST_CASE("an ill-typed argument names the parameter's declared type") {
  // The message uses the type `patchbay components` lists for the parameter.
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - type: builtin.Iterator\n"                         // 3
      "      name: input\n"                                    // 4
      "      args: {iters: abc}\n");                           // 5
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("expected int64") != npos);
}

TEST_CASE("an unknown argument is reported at its value with the parameters that exist") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - type: builtin.Iterator\n"                         // 3
      "      name: input\n"                                    // 4
      "      args: {iter: 3}\n"                                // 5
      "    - type: builtin.Printer\n"                          // 6
      "      name: pass\n"                                     // 7
      "      args:\n"                                          // 8
      "        verbose:\n"                                     // 9: no value: the key is the place
      "  connectors:\n"                                        // 10
      "    - {source: input.x, target: pass.x}\n");            // 11
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 2);
  const Error* iter = error_with(r, "unknown argument 'iter'");
  const Error* verbose = error_with(r, "unknown argument 'verbose'");
  REQUIRE(iter);
  REQUIRE(verbose);
  CHECK(iter->message.find("component 'input' (builtin.Iterator)") != npos);
  CHECK(iter->message.find("parameters: iters, start") != npos);
  CHECK(at(*iter) == At{5, 20});
  CHECK(verbose->message.find("component 'pass' (builtin.Printer)") != npos);
  CHECK(verbose->message.find("parameters: inputs, prefix") != npos);
  CHECK(at(*verbose) == At{9, 9});
}

TEST_CASE("a duplicate component name is reported at the second name with the first's place") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - type: builtin.Iterator\n"                         // 3
      "      name: input\n"                                    // 4
      "    - type: builtin.Iterator\n"                         // 5
      "      name: input\n"                                    // 6
      "    - {type: builtin.Printer, name: show}\n"            // 7
      "  connectors:\n"                                        // 8
      "    - {source: input.x, target: show.x}\n",             // 9
      "dup.yaml");
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  const Error& e = r.errors[0];
  CHECK(e.message.find("duplicate component name 'input'") != npos);
  CHECK(e.message.find("first defined at dup.yaml:4:13") != npos);
  CHECK(at(e) == At{6, 13});
}

// ---------------------------------------------------------------------------------------
// Connectors and the graph

TEST_CASE("an unknown port on a connector source is reported at the source with the outputs") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - {type: builtin.Printer, name: show}\n"            // 4
      "  connectors:\n"                                        // 5
      "    - {source: input.y, target: show.x}\n");            // 6
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);  // show.x is not also reported as unconnected
  const Error& e = r.errors[0];
  CHECK(e.message.find("connector input.y -> show.x") != npos);
  CHECK(e.message.find("component 'input' (builtin.Iterator) has no output 'y'") != npos);
  CHECK(e.message.find("outputs: x (int64)") != npos);
  CHECK(at(e) == At{6, 16});
}

TEST_CASE("an unknown port on a connector target is reported at the target with the inputs") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - {type: builtin.Add, name: add}\n"                 // 4
      "  connectors:\n"                                        // 5
      "    - {source: input.x, target: add.a}\n"               // 6
      "    - {source: input.x, target: add.c}\n");             // 7
  CAPTURE(format_errors(r.errors));
  const Error* e = error_with(r, "has no input 'c'");
  REQUIRE(e);
  CHECK(e->message.find("connector input.x -> add.c") != npos);
  CHECK(e->message.find("component 'add' (builtin.Add)") != npos);
  CHECK(e->message.find("inputs: a (") != npos);
  CHECK(e->message.find(", b (") != npos);
  CHECK(at(*e) == At{7, 33});
}

TEST_CASE("an input used as a connector source, or an output as a target, says which it is") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - {type: builtin.Passthrough, name: pass}\n"        // 4
      "    - {type: builtin.Printer, name: show}\n"            // 5
      "  connectors:\n"                                        // 6
      "    - {source: input.x, target: pass.y}\n"              // 7
      "    - {source: pass.x, target: show.x}\n");             // 8
  CAPTURE(format_errors(r.errors));
  const Error* as_source = error_with(r, "has no output 'x'");
  const Error* as_target = error_with(r, "has no input 'y'");
  REQUIRE(as_source);
  REQUIRE(as_target);
  CHECK(as_source->message.find("outputs: y (any)") != npos);
  CHECK(as_source->message.find("'x' is an input") != npos);
  CHECK(at(*as_source) == At{8, 16});
  CHECK(as_target->message.find("inputs: x (any)") != npos);
  CHECK(as_target->message.find("'y' is an output") != npos);
  CHECK(at(*as_target) == At{7, 33});
}

TEST_CASE("a connector to a component that does not exist lists the components") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - {type: builtin.Printer, name: show}\n"            // 4
      "  connectors:\n"                                        // 5
      "    - {source: input.x, target: shwo.x}\n"              // 6
      "    - {source: input, target: show.x}\n");              // 7
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 2);
  const Error* no_comp = error_with(r, "no component named 'shwo'");
  const Error* no_dot = error_with(r, "expected component.port");
  REQUIRE(no_comp);
  REQUIRE(no_dot);
  CHECK(no_comp->message.find("(components: input, show)") != npos);
  CHECK(at(*no_comp) == At{6, 33});
  CHECK(no_dot->message.find("connector source 'input'") != npos);
  CHECK(at(*no_dot) == At{7, 16});
}

TEST_CASE("a port type mismatch is reported at the connector with both types") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - {type: builtin.Timestamper, name: stamp}\n"       // 4
      "    - {type: builtin.Scale, name: scale}\n"             // 5
      "  connectors:\n"                                        // 6
      "    - {source: input.x, target: stamp.x}\n"             // 7
      "    - source: stamp.timestamp\n"                        // 8
      "      target: scale.x\n");                              // 9
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);  // scale.x is not also reported as unconnected
  const Error& e = r.errors[0];
  CHECK(e.message.find("connector stamp.timestamp -> scale.x") != npos);
  CHECK(e.message.find("type mismatch") != npos);
  CHECK(e.message.find("stamp.timestamp is string") != npos);
  CHECK(e.message.find("scale.x is double") != npos);
  CHECK(at(e) == At{8, 7});
}

TEST_CASE("the same connector given twice is reported at the second one") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - {type: builtin.Printer, name: show}\n"            // 4
      "  connectors:\n"                                        // 5
      "    - {source: input.x, target: show.x}\n"              // 6
      "    - {source: input.x, target: show.x}\n");            // 7
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("connector input.x -> show.x is given twice") != npos);
  CHECK(at(r.errors[0]) == At{7, 7});
}

TEST_CASE("an unconnected input is reported at its component with the input's name") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - type: builtin.Add\n"                              // 4
      "      name: add\n"                                      // 5
      "    - {type: builtin.Printer, name: show}\n"            // 6
      "  connectors:\n"                                        // 7
      "    - {source: input.x, target: add.a}\n"               // 8
      "    - {source: add.sum, target: show.x}\n");            // 9
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("component 'add': input 'b' is not connected") != npos);
  CHECK(at(r.errors[0]) == At{4, 7});
}

namespace {

// input -> a.a; a.sum -> b.x; b.y -> a.b: a and b form a loop. Line 6 is `args:` (no
// arguments) or `initial_values: {b: [0]}`, which starts the loop; the lines stay the same.
std::string loop_model(bool started) {
  return std::string("patchbay:\n")                             // 1
         + "  components:\n"                                     // 2
         + "    - {type: builtin.Iterator, name: input, args: {iters: 3}}\n"  // 3
         + "    - type: builtin.Add\n"                           // 4
         + "      name: a\n"                                     // 5
         + (started ? "      initial_values: {b: [0]}\n"         // 6
                    : "      args:\n")                           // 6
         + "    - type: builtin.Passthrough\n"                   // 7
         + "      name: b\n"                                     // 8
         + "  connectors:\n"                                     // 9
         + "    - {source: input.x, target: a.a}\n"              // 10
         + "    - {source: a.sum, target: b.x}\n"                // 11
         + "    - {source: b.y, target: a.b}\n";                 // 12
}

}  // namespace

TEST_CASE("a cycle without an initial value is reported with the cycle") {
  LoadResult r = load_model_string(loop_model(false), "loop.yaml");
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  const Error& e = r.errors[0];
  CHECK(e.message.find("cycle without an initial value") != npos);
  bool from_a = e.message.find("a -> b -> a") != npos;
  bool from_b = e.message.find("b -> a -> b") != npos;
  CHECK((from_a || from_b));
  // At the component the cycle is written from: a is on line 4, b on line 7.
  CHECK(at(e) == (from_a ? At{4, 7} : At{7, 7}));
  CHECK(e.message.find("initial_values") != npos);
}

TEST_CASE("the same cycle with an initial value on one of its inputs loads without errors") {
  LoadResult r = load_model_string(loop_model(true), "loop.yaml");
  CHECK_MESSAGE(r.ok(), format_errors(r.errors));
}

TEST_CASE("a cycle of two passthroughs is reported once") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Passthrough, name: p}\n"           // 3
      "    - {type: builtin.Passthrough, name: q}\n"           // 4
      "  connectors:\n"                                        // 5
      "    - {source: p.y, target: q.x}\n"                     // 6
      "    - {source: q.y, target: p.x}\n");                   // 7
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  const Error& e = r.errors[0];
  CHECK(e.message.find("cycle without an initial value") != npos);
  bool from_p = e.message.find("p -> q -> p") != npos;
  CHECK((from_p || e.message.find("q -> p -> q") != npos));
  CHECK(at(e) == (from_p ? At{3, 7} : At{4, 7}));
}

TEST_CASE("initial values for an unknown input are reported at the port name with the inputs") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - type: builtin.Passthrough\n"                      // 4
      "      name: pass\n"                                     // 5
      "      initial_values: {z: [1]}\n"                       // 6
      "  connectors:\n"                                        // 7
      "    - {source: input.x, target: pass.x}\n");            // 8
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  const Error& e = r.errors[0];
  CHECK(e.message.find("component 'pass': initial_values for unknown input 'z'") != npos);
  CHECK(e.message.find("inputs: x (any)") != npos);
  CHECK(at(e) == At{6, 24});
}

TEST_CASE("an initial value of the wrong type is reported at the port name") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input}\n"          // 3
      "    - type: builtin.Checksum\n"                         // 4
      "      name: check\n"                                    // 5
      "      args: {path: out.json}\n"                         // 6
      "      initial_values:\n"                                // 7
      "        x: [1, two]\n"                                  // 8
      "  connectors:\n"                                        // 9
      "    - {source: input.x, target: check.x}\n");           // 10
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  const Error& e = r.errors[0];
  CHECK(e.message.find("component 'check': initial value for 'x'") != npos);
  CHECK(e.message.find("\"two\"") != npos);
  CHECK(at(e) == At{8, 9});
}

TEST_CASE("a plugin that does not load is reported at its entry with the reason") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  plugins:\n"                                           // 2
      "    - /nonexistent/libnothing.so\n"                     // 3
      "  components:\n"                                        // 4
      "    - {type: builtin.Iterator, name: input}\n");        // 5
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("plugin '/nonexistent/libnothing.so'") != npos);
  CHECK(r.errors[0].message.find("file not found") != npos);
  CHECK(at(r.errors[0]) == At{3, 7});
}

TEST_CASE("an ill-typed argument given with --set is reported against the --set") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iterator, name: input, args: {iters: 3}}\n",  // 3
      "set.yaml", {{"input.iters", Value("many")}, {"nobody.iters", Value(3)}});
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 2);
  const Error* bad_value = error_with(r, "argument 'iters'");
  const Error* no_comp = error_with(r, "no component named 'nobody'");
  REQUIRE(bad_value);
  REQUIRE(no_comp);
  CHECK(bad_value->str().rfind("--set input.iters: ", 0) == 0);
  CHECK(no_comp->str().rfind("--set nobody.iters: ", 0) == 0);
}

// ---------------------------------------------------------------------------------------
// Several errors, valid models, and how errors print

TEST_CASE("several errors in one file are all reported, each at its own place") {
  LoadResult r = load_model_string(
      "patchbay:\n"                                            // 1
      "  components:\n"                                        // 2
      "    - {type: builtin.Iteratr, name: input}\n"           // 3: unknown type
      "    - type: builtin.Iterator\n"                         // 4
      "      name: count\n"                                    // 5
      "      args: {iters: abc}\n"                             // 6: ill-typed argument
      "    - {type: builtin.Printer, name: show}\n"            // 7
      "    - type: builtin.Printer\n"                          // 8
      "      name: show\n"                                     // 9: duplicate name
      "    - type: builtin.Sleep\n"                            // 10
      "      name: nap\n"                                      // 11
      "      args: {second: 1}\n"                              // 12: unknown argument
      "    - type: builtin.Passthrough\n"                      // 13: input x unconnected
      "      name: lonely\n"                                   // 14
      "  connectors:\n"                                        // 15
      "    - {source: lonely.z, target: show.x}\n");           // 16: unknown port
  CAPTURE(format_errors(r.errors));
  CHECK(r.errors.size() == 6);
  struct Expected {
    const char* part;
    At where;
  };
  for (const Expected& x : {Expected{"unknown component type 'builtin.Iteratr'", {3, 14}},
                            Expected{"argument 'iters'", {6, 21}},
                            Expected{"duplicate component name 'show'", {9, 13}},
                            Expected{"unknown argument 'second'", {12, 22}},
                            Expected{"input 'x' is not connected", {13, 7}},
                            Expected{"has no output 'z'", {16, 16}}}) {
    CAPTURE(x.part);
    if (const Error* e = error_with(r, x.part)) CHECK(at(*e) == x.where);
  }
}

TEST_CASE("a valid model has no errors") {
  LoadResult r = load_model_string(
      "patchbay:\n"
      "  process: {type: local, args: {threads: 2}}\n"
      "  connector_builder: {type: auto, capacity: 8}\n"
      "  components:\n"
      "    - {type: builtin.Iterator, name: input, args: {iters: 5, start: 1}}\n"
      "    - {type: builtin.Add, name: add}\n"
      "    - {type: builtin.Scale, name: scale, args: {factor: 2.0}}\n"
      "    - {type: builtin.Passthrough, name: pass}\n"
      "    - type: builtin.Timestamper\n"
      "      name: stamp\n"
      "      args: {inputs: [x, y]}\n"
      "    - type: builtin.Checksum\n"
      "      name: check\n"
      "      args: {path: out.json}\n"
      "    - {type: builtin.Printer, name: show, args: {prefix: 't '}}\n"
      "  connectors:\n"
      "    - {source: input.x, target: add.a}\n"
      "    - {source: input.x, target: add.b}\n"
      "    - {source: add.sum, target: scale.x}\n"
      "    - {source: input.x, target: check.x, channel: {type: inproc, capacity: 2}}\n"
      "    - {source: scale.y, target: pass.x}\n"
      "    - {source: pass.y, target: stamp.x}\n"
      "    - {source: input.x, target: stamp.y}\n"
      "    - {source: stamp.timestamp, target: show.x}\n",
      "good.yaml");
  CHECK_MESSAGE(r.ok(), format_errors(r.errors));
  CHECK(r.model.components().size() == 7);
  CHECK(r.model.connectors().size() == 8);
}

TEST_CASE("an error from a model file prints as file:line:column: message") {
  patchbay::test::TempDir dir;
  auto path = (dir / "bad.yaml").string();
  patchbay::test::write_file(path,
                             "patchbay:\n"                     // 1
                             "  components:\n"                 // 2
                             "    - type: builtin.Iteratr\n"   // 3
                             "      name: input\n");           // 4
  LoadResult r = load_model_file(path);
  CAPTURE(format_errors(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].where.file == path);
  CHECK(r.errors[0].str().rfind(path + ":3:13: ", 0) == 0);
  CHECK(r.errors[0].str() == path + ":3:13: " + r.errors[0].message);

  LoadResult named = load_model_string("patchbay:\n  components:\n    - {type: builtin.Iteratr, name: i}\n", "m.yaml");
  REQUIRE(named.errors.size() == 1);
  CHECK(named.errors[0].str().rfind("m.yaml:3:14: component 'i': unknown component type", 0) == 0);
}

TEST_CASE("a model file that cannot be read names the file and the reason") {
  LoadResult r = load_model_file("/nonexistent/model.yaml");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].where.file == "/nonexistent/model.yaml");
  CHECK(r.errors[0].message.find("cannot read the model file") != npos);
  CHECK(r.errors[0].str().rfind("/nonexistent/model.yaml: ", 0) == 0);
}

TEST_CASE("an unknown default channel type is reported once, with or without connectors") {
  LoadResult alone = load_model_string(
      "patchbay:\n"
      "  connector_builder: {type: carrier-pigeon}\n"
      "  components:\n"
      "    - {type: builtin.Iterator, name: input}\n",
      "m.yaml");
  REQUIRE(alone.errors.size() == 1);
  CHECK(alone.errors[0].message == "connector_builder: unknown channel type 'carrier-pigeon' (available: auto, inproc, zmq)");

  LoadResult wired = load_model_string(
      "patchbay:\n"
      "  connector_builder: {type: carrier-pigeon}\n"
      "  components:\n"
      "    - {type: builtin.Iterator, name: input}\n"
      "    - {type: builtin.Printer, name: a}\n"
      "    - {type: builtin.Printer, name: b}\n"
      "  connectors:\n"
      "    - {source: input.x, target: a.x}\n"
      "    - {source: input.x, target: b.x}\n",
      "m.yaml");
  CAPTURE(format_errors(wired.errors));
  CHECK(wired.errors.size() == 1);
}

TEST_CASE("an unknown argument of a component without parameters says it takes none") {
  auto r = load_model_string(
      "patchbay:\n"
      "  components:\n"
      "    - {type: builtin.VectorSum, name: total, args: {gain: 2}}\n");
  CAPTURE(format_errors(r.errors));
  const Error* gain = error_with(r, "unknown argument 'gain'");
  REQUIRE(gain);
  CHECK(gain->message == "component 'total' (builtin.VectorSum): unknown argument 'gain' (it takes no arguments)");
}
