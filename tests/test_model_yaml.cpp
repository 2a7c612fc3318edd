// YAML is a reader and writer over the Model API: every shipped config loads, saves and
// loads back to the same model, and a model built in code equals the one read from text.
#include <doctest/doctest.h>

#include <filesystem>

#include <patchbay/model_yaml.hpp>

#include "support.hpp"

using namespace patchbay;
using patchbay::test::source_dir;

TEST_CASE("every shipped config loads without errors and round-trips through YAML") {
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "configs")) {
    if (entry.path().extension() != ".yaml") continue;
    ++seen;
    CAPTURE(entry.path().string());
    LoadResult first = load_model_file(entry.path().string());
    REQUIRE_MESSAGE(first.ok(), format_errors(first.errors));
    std::string text = to_yaml(first.model);
    LoadResult second = load_model_string(text, "saved.yaml");
    REQUIRE_MESSAGE(second.ok(), format_errors(second.errors) << "\n" << text);
    CHECK(first.model == second.model);
    CHECK(to_yaml(second.model) == text);
  }
  CHECK(seen >= 2);
}

TEST_CASE("a model built in code equals the same model read from YAML") {
  Model code;
  code.process().args = {{"threads", 3}};
  code.connector_builder().capacity = 16;
  code.add_component("builtin.Iterator", "input", {{"iters", 20}});
  code.add_component("builtin.Sleep", "slow", {{"seconds", 0.5}});
  code.add_component("builtin.Printer", "show", {{"prefix", "got "}, {"inputs", Value::array({"x"})}});
  code.connect("input.x", "slow.x");
  ChannelSpec small;
  small.type = "inproc";
  small.capacity = 4;
  code.connect("slow.y", "show.x", small);

  LoadResult read = load_model_string(R"(
patchbay:
  process: {type: local, args: {threads: 3}}
  connector_builder: {type: auto, capacity: 16}
  components:
    - {type: builtin.Iterator, name: input, args: {iters: 20}}
    - type: builtin.Sleep
      name: slow
      args:
        seconds: 0.5
    - {type: builtin.Printer, name: show, args: {prefix: "got ", inputs: [x]}}
  connectors:
    - {source: input.x, target: slow.x}
    - {source: slow.y, target: show.x, channel: {type: inproc, capacity: 4}}
)");
  REQUIRE_MESSAGE(read.ok(), format_errors(read.errors));
  CHECK(read.model == code);
  CHECK(to_yaml(read.model) == to_yaml(code));
}

TEST_CASE("values keep their types through a save and a load") {
  Model m;
  m.add_component("builtin.Printer", "p",
                  {{"prefix", "true"}, {"inputs", Value::array({"x", "007", "1.5", "null"})}});
  m.add_component("builtin.Iterator", "i", {{"iters", 1}, {"start", -3}});
  std::string text = to_yaml(m);
  LoadResult back = read_model_string(text);
  REQUIRE_MESSAGE(back.ok(), format_errors(back.errors));
  CHECK(back.model == m);
  const Value* prefix = nullptr;
  for (const auto& [k, v] : back.model.components()[0].args)
    if (k == "prefix") prefix = &v;
  REQUIRE(prefix != nullptr);
  CHECK(prefix->is_string());
}

TEST_CASE("scalars are typed as in YAML 1.2 and quoted scalars stay strings") {
  CHECK(parse_yaml_value("3") == Value(3));
  CHECK(parse_yaml_value("-2.5") == Value(-2.5));
  CHECK(parse_yaml_value("true") == Value(true));
  CHECK(parse_yaml_value("~").is_null());
  CHECK(parse_yaml_value("\"3\"") == Value("3"));
  CHECK(parse_yaml_value("hello") == Value("hello"));
  CHECK(parse_yaml_value("[1, b]") == Value::array({1, "b"}));
}

TEST_CASE("--set style overrides replace an argument before the model is checked") {
  LoadResult r = load_model_string(R"(
patchbay:
  components:
    - {type: builtin.Iterator, name: input, args: {iters: 20}}
    - {type: builtin.Printer, name: show}
  connectors:
    - {source: input.x, target: show.x}
)",
                                   "m.yaml", {{"input.iters", Value(5)}, {"input.start", Value(2)}});
  REQUIRE_MESSAGE(r.ok(), format_errors(r.errors));
  const auto* input = r.model.find("input");
  REQUIRE(input != nullptr);
  CHECK(input->args == Value::Object{{"iters", 5}, {"start", 2}});

  LoadResult bad = load_model_string("patchbay:\n  components:\n    - {type: builtin.Iterator, name: input}\n",
                                     "m.yaml", {{"nobody.iters", Value(5)}, {"input.iters", Value("many")}});
  REQUIRE(bad.errors.size() == 2);
  CHECK(bad.errors[0].str() == "--set nobody.iters: no component named 'nobody'");
  CHECK(bad.errors[1].str().find("--set input.iters: component 'input' (builtin.Iterator): argument 'iters': expected int64") == 0);
}
