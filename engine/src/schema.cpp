#include "patchbay/schema.hpp"

#include "model_limits.hpp"

#include <cstdint>
#include <limits>

#include "patchbay/backend/channel.hpp"
#include "patchbay/backend/process_type.hpp"
#include "patchbay/json.hpp"
#include "patchbay/registry.hpp"
#include "patchbay/version.hpp"

namespace patchbay {

namespace {

// Ordered, so the schema reads top-down in the order it is written here.
using Json = nlohmann::ordered_json;

Json to_schema_json(const Value& v) { return Json::parse(to_json_value(v).dump()); }

template <class T>
Json integer_range() {
  return {{"type", "integer"}, {"minimum", std::numeric_limits<T>::min()}, {"maximum", std::numeric_limits<T>::max()}};
}

// The schema of a parameter type, from its name (ValueTraits<T>::name()). Null for a type
// the schema cannot describe (a user type read through nlohmann_json).
Json schema_of(std::string_view type) {
  if (type == "bool") return {{"type", "boolean"}};
  if (type == "double" || type == "float") return {{"type", "number"}};
  if (type == "string" || type == "path") return {{"type", "string"}};
  if (type == "Value") return Json::object();
  if (type == "int64") return {{"type", "integer"}};
  if (type == "int32") return integer_range<std::int32_t>();
  if (type == "int16") return integer_range<std::int16_t>();
  if (type == "int8") return integer_range<std::int8_t>();
  if (type == "uint64") return {{"type", "integer"}, {"minimum", 0}};
  if (type == "uint32") return integer_range<std::uint32_t>();
  if (type == "uint16") return integer_range<std::uint16_t>();
  if (type == "uint8") return integer_range<std::uint8_t>();
  if (type.starts_with("vector<") && type.ends_with(">")) {
    Json items = schema_of(type.substr(7, type.size() - 8));
    if (items.is_null()) return nullptr;
    return {{"type", "array"}, {"items", items}};
  }
  return nullptr;
}

std::string port_list(const std::vector<std::pair<std::string, std::string>>& ports) {
  std::string out;
  for (const auto& [name, type] : ports) out += (out.empty() ? "" : ", ") + name + " (" + type + ")";
  return out;
}

// The `args` of one component type: its parameters, nothing else.
Json args_schema(const ComponentType& type, bool& has_required) {
  TypeDescription d = describe(type);
  std::string about = type.name + ": " + type.help + (type.help.ends_with('.') ? "" : ".");
  if (!d.inputs.empty()) about += " Inputs: " + port_list(d.inputs) + ".";
  if (!d.outputs.empty()) about += " Outputs: " + port_list(d.outputs) + ".";
  Json args = {{"description", about}};
  if (!d.error.empty()) {
    // Its constructor fails with default arguments: the parameters seen may be partial.
    args["type"] = Json::array({"object", "null"});
    args["description"] = about + " (Cannot be listed: " + d.error + ")";
    return args;
  }
  Json properties = Json::object();
  Json required = Json::array();
  for (const auto& p : d.params) {
    Json s = schema_of(p.type);
    if (s.is_null()) s = {{"description", p.help + " (" + p.type + ", written as JSON)"}};
    else s["description"] = p.help;
    if (p.required) required.push_back(p.name);
    else s["default"] = to_schema_json(p.default_value);
    properties[p.name] = s;
  }
  has_required = !required.empty();
  // `args:` with nothing after it (null) means no arguments.
  args["type"] = has_required ? Json("object") : Json::array({"object", "null"});
  args["properties"] = properties;
  if (has_required) args["required"] = required;
  args["additionalProperties"] = false;
  return args;
}

Json component_schema(const Registry& registry) {
  Json names = Json::array();
  Json per_type = Json::array();
  for (const auto* type : registry.types()) {
    names.push_back(type->name);
    bool has_required = false;
    Json then = {{"properties", {{"args", args_schema(*type, has_required)}}}};
    if (has_required) then["required"] = Json::array({"args"});
    per_type.push_back({{"if", {{"properties", {{"type", {{"const", type->name}}}}}, {"required", {"type"}}}},
                        {"then", then}});
  }
  Json properties = {
      {"type", {{"description", "the component type (`patchbay components` lists them)"}, {"enum", names}}},
      {"name", {{"description", "the component's name, used in connectors as name.port"}, {"type", "string"}, {"minLength", 1}}},
      {"args", {{"description", "the arguments: the type's parameters"}, {"type", {"object", "null"}}}},
      {"initial_values",
       {{"description", "values fed to an input before anything from its connectors: {port: [v0, ...]}"},
        {"type", "object"}}},
      {"worker",
       {{"description", "where it runs, for process types with several places (a worker, a rank): numbered from 0; "
                        "for replicas also a list of workers or `all`"},
        {"anyOf", Json::array({{{"type", "integer"}, {"minimum", 0}},
                               {{"type", "array"}, {"items", {{"type", "integer"}, {"minimum", 0}}}, {"minItems", 1}},
                               {{"const", "all"}}})}}},
      {"replicas",
       {{"description", "copies of the component, name[0] .. name[N-1]: each input row goes to whichever is free first"},
        {"type", "integer"}, {"minimum", 1}, {"maximum", detail::kMaxReplicas}}},
      {"order",
       {{"description", "for replicas: `arrival` (default) sends outputs as they are made, `preserve` in input order"},
        {"enum", {"arrival", "preserve"}}}},
  };
  return {{"type", "object"},
          {"properties", properties},
          {"required", {"type", "name"}},
          {"additionalProperties", false},
          {"allOf", per_type}};
}

// The properties of one parameter list (process args, channel options), from the
// declarations of their owner.
Json params_schema(const std::vector<ParamInfo>& params) {
  Json properties = Json::object();
  for (const auto& p : params) {
    Json s = schema_of(p.type);
    if (s.is_null()) s = Json::object();
    s["description"] = p.help;
    if (!p.choices.empty()) s["enum"] = p.choices;
    auto bound = [&](double v) { return p.type == "int64" ? Json(static_cast<std::int64_t>(v)) : Json(v); };
    if (p.minimum) s["minimum"] = bound(*p.minimum);
    if (p.maximum) s["maximum"] = bound(*p.maximum);
    if (!p.default_value.is_null()) s["default"] = to_schema_json(p.default_value);
    properties[p.name] = s;
  }
  return properties;
}

// One `if type is X then these options` clause per registered backend; `auto` takes
// any backend's options (it hands each the ones it declares).
Json channel_schema() {
  Json types = Json::array({"auto"});
  std::string about = "auto picks the registered backend that fits where the two ends run";
  Json backend_options = Json::object();
  Json per_type = Json::array();
  for (const auto& name : channel_backend_names()) {
    const ChannelBackend& backend = *find_channel_backend(name);
    types.push_back(name);
    about += "; " + name + ": " + std::string(backend.help());
    Json options = params_schema(backend.options());
    Json allowed = {{"type", true}, {"capacity", true}};
    for (const auto& [key, schema] : options.items()) {
      allowed[key] = true;
      backend_options[key] = schema;
    }
    per_type.push_back({{"if", {{"properties", {{"type", {{"const", name}}}}}, {"required", {"type"}}}},
                        {"then", {{"properties", allowed}, {"additionalProperties", false}}}});
  }
  Json all_options = {{"type", {{"description", about}, {"enum", types}}},
                      {"capacity", {{"description", "values it holds before the writer waits"}, {"type", "integer"}, {"minimum", 1}}}};
  all_options.update(backend_options);
  return {{"description", "the channel that carries a connector's values"},
          {"type", "object"},
          {"properties", all_options},
          {"additionalProperties", false},
          {"allOf", per_type}};
}

// The registered process types, each with its own args.
Json process_schema() {
  Json types = Json::array();
  std::string about;
  Json per_type = Json::array();
  for (const auto& name : process_type_names()) {
    const ProcessType& type = *find_process_type(name);
    types.push_back(name);
    about += (about.empty() ? "" : "; ") + name + ": " + std::string(type.help());
    per_type.push_back(
        {{"if", name == ProcessSpec{}.type  // the default: also when no type is given
                    ? Json{{"properties", {{"type", {{"const", name}}}}}}
                    : Json{{"properties", {{"type", {{"const", name}}}}}, {"required", {"type"}}}},
         {"then",
          {{"properties",
            {{"args", {{"type", {"object", "null"}}, {"properties", params_schema(type.parameters())}, {"additionalProperties", false}}}}}}}});
  }
  return {{"description", "how the model runs"},
          {"type", "object"},
          {"properties",
           {{"type", {{"description", about}, {"enum", types}, {"default", ProcessSpec{}.type}}},
            {"args", {{"type", {"object", "null"}}}}}},
          {"additionalProperties", false},
          {"allOf", per_type}};
}

Json connector_schema() {
  Json port = {{"type", "string"}, {"pattern", "^.+\\.[^.]+$"}};
  Json source = port, target = port;
  source["description"] = "the output: component.port";
  target["description"] = "the input: component.port";
  return {{"type", "object"},
          {"properties", {{"source", source}, {"target", target}, {"channel", {{"$ref", "#/definitions/channel"}}}}},
          {"required", {"source", "target"}},
          {"additionalProperties", false}};
}

}  // namespace

std::string model_schema(const Registry& registry) {
  Json model = {
      {"type", "object"},
      {"properties",
       {{"plugins",
         {{"description", "plugin libraries to load (relative to this file, then PATCHBAY_PLUGIN_PATH)"},
          {"type", "array"},
          {"items", {{"type", "string"}, {"minLength", 1}}}}},
        {"process", {{"$ref", "#/definitions/process"}}},
        {"connector_builder", {{"$ref", "#/definitions/channel"}}},
        {"components", {{"type", "array"}, {"items", {{"$ref", "#/definitions/component"}}}}},
        {"connectors", {{"type", "array"}, {"items", {{"$ref", "#/definitions/connector"}}}}}}},
      {"required", {"components"}},
      {"additionalProperties", false}};
  Json schema = {
      {"$schema", "http://json-schema.org/draft-07/schema#"},
      {"title", "patchbay model"},
      {"description", std::string("A patchbay model file (patchbay ") + version() + "), generated by `patchbay schema`."},
      {"type", "object"},
      {"properties", {{"patchbay", model}}},
      {"required", {"patchbay"}},
      {"additionalProperties", false},
      {"definitions",
       {{"component", component_schema(registry)},
        {"connector", connector_schema()},
        {"channel", channel_schema()},
        {"process", process_schema()}}}};
  return schema.dump(2) + "\n";
}

}  // namespace patchbay
