// `patchbay schema`: the JSON Schema of model files, generated from the registry. The
// validator test (check_schema.py) checks it against models; these check what it says.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace patchbay::test;
using nlohmann::json;

namespace {

json schema(const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args{"schema"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = run_cli(args);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return json::parse(r.out);
}

// The `then` part that applies to components of this type.
json for_type(const json& s, const std::string& type) {
  for (const auto& rule : s["definitions"]["component"]["allOf"])
    if (rule["if"]["properties"]["type"]["const"] == type) return rule["then"];
  FAIL("no schema for " << type);
  return {};
}

}  // namespace

TEST_CASE("patchbay schema describes every built-in type with its parameters") {
  json s = schema();
  CHECK(s["$schema"] == "http://json-schema.org/draft-07/schema#");
  CHECK(s["required"] == json{"patchbay"});
  const json& types = s["definitions"]["component"]["properties"]["type"]["enum"];
  for (const char* t : {"builtin.Iterator", "builtin.Scale", "builtin.FileReader", "builtin.Printer"})
    CHECK(std::find(types.begin(), types.end(), t) != types.end());

  json scale = for_type(s, "builtin.Scale")["properties"]["args"];
  CHECK(scale["additionalProperties"] == false);
  CHECK(scale["type"] == json{"object", "null"});
  CHECK(scale["properties"]["factor"] == json{{"type", "number"}, {"description", "multiplies x"}, {"default", 1.0}});
  CHECK(scale["description"] == "builtin.Scale: y = x * factor + offset. Inputs: x (double). Outputs: y (double).");

  json reader = for_type(s, "builtin.FileReader");
  CHECK(reader["required"] == json{"args"});
  CHECK(reader["properties"]["args"]["required"] == json{"path"});
  CHECK(reader["properties"]["args"]["properties"]["columns"] ==
        json{{"type", "array"}, {"items", {{"type", "string"}}},
             {"description", "columns to send (default: the CSV header)"}, {"default", json::array()}});
  CHECK(for_type(s, "builtin.Iterator")["properties"]["args"]["properties"]["iters"]["type"] == "integer");
  CHECK(s["definitions"]["channel"]["properties"]["type"]["enum"] == json{"auto", "inproc", "zmq"});
}

TEST_CASE("patchbay schema --plugin adds the plugin's types and parameters") {
  CHECK(schema().dump().find("good.Gain") == std::string::npos);
  json s = schema({"--plugin", PATCHBAY_TEST_PLUGIN_GOOD});
  json gain = for_type(s, "good.Gain")["properties"]["args"]["properties"];
  CHECK(gain["gain"] == json{{"type", "number"}, {"description", "multiplies x"}, {"default", 2.0}});
  CHECK(gain["skip"]["type"] == "integer");
  json label = for_type(s, "good.Label");
  CHECK(label["required"] == json{"args"});
  CHECK(label["properties"]["args"]["required"] == json{"prefix"});
}

TEST_CASE("the shipped configs/patchbay.schema.json is what patchbay schema prints") {
  auto r = run_cli({"schema"});
  REQUIRE(r.exit_code == 0);
  CHECK_MESSAGE(read_file(source_dir() / "configs/patchbay.schema.json") == r.out,
                "regenerate it: build/cli/patchbay schema > configs/patchbay.schema.json");
}
