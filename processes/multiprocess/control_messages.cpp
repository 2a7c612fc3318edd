#include "control_messages.hpp"

#include "graph.hpp"

namespace patchbay {

namespace {
Status status_from(const std::string& s) {
  for (Status st : {Status::created, Status::init, Status::running, Status::waiting, Status::completed,
                    Status::failed, Status::stopped})
    if (to_string(st) == s) return st;
  return Status::stopped;
}
}  // namespace

void to_json(nlohmann::json& j, const RunReport& r) {
  nlohmann::json components = nlohmann::json::array();
  for (const auto& c : r.components) {
    nlohmann::json left = nlohmann::json::array();
    for (const auto& [port, n] : c.left_over) left.push_back({port, n});
    components.push_back({{"name", c.name},
                          {"type", c.type},
                          {"status", std::string(to_string(c.status))},
                          {"steps", c.steps},
                          {"values_out", c.values_out},
                          {"step_ns", c.step_time.count()},
                          {"input_ns", c.input_wait.count()},
                          {"output_ns", c.output_wait.count()},
                          {"left_over", left},
                          {"error", c.error}});
  }
  j = {{"ok", r.ok},
          {"interrupted", r.interrupted},
          {"stalled", r.stalled},
          {"error", r.error},
          {"elapsed_ns", r.elapsed.count()},
          {"components", components}};
}

void from_json(const nlohmann::json& j, RunReport& r) {
  r = RunReport{};
  r.ok = j.at("ok").get<bool>();
  r.interrupted = j.at("interrupted").get<bool>();
  r.stalled = j.at("stalled").get<bool>();
  r.error = j.at("error").get<std::string>();
  r.elapsed = std::chrono::nanoseconds(j.at("elapsed_ns").get<std::int64_t>());
  for (const auto& c : j.at("components")) {
    ComponentReport cr;
    cr.name = c.at("name").get<std::string>();
    cr.type = c.at("type").get<std::string>();
    cr.status = status_from(c.at("status").get<std::string>());
    cr.steps = c.at("steps").get<std::uint64_t>();
    cr.values_out = c.at("values_out").get<std::uint64_t>();
    cr.step_time = std::chrono::nanoseconds(c.at("step_ns").get<std::int64_t>());
    cr.input_wait = std::chrono::nanoseconds(c.at("input_ns").get<std::int64_t>());
    cr.output_wait = std::chrono::nanoseconds(c.at("output_ns").get<std::int64_t>());
    for (const auto& l : c.at("left_over")) cr.left_over.emplace_back(l.at(0).get<std::string>(), l.at(1).get<std::uint64_t>());
    cr.error = c.at("error").get<std::string>();
    r.components.push_back(std::move(cr));
  }
}

void to_json(nlohmann::json& j, const Error& e) {
  j = {{"file", e.where.file}, {"line", e.where.line}, {"column", e.where.column}, {"message", e.message}};
}

void from_json(const nlohmann::json& j, Error& e) {
  e.where.file = j.at("file").get<std::string>();
  e.where.line = j.at("line").get<int>();
  e.where.column = j.at("column").get<int>();
  e.message = j.at("message").get<std::string>();
}

}  // namespace patchbay

namespace patchbay::control {

Component declare(std::uint64_t index, const detail::ComponentPart& part) {
  Component c;
  c.index = index;
  c.ok = part.ok;
  for (const auto& p : part.inputs) c.inputs.push_back({p.name, p.type->name, p.optional, p.seeded});
  for (const auto& p : part.outputs) c.outputs.push_back({p.name, p.type->name, p.optional, p.seeded});
  c.errors = part.errors;
  return c;
}

std::vector<const Component*> by_model_index(const std::vector<Component>& components, std::size_t count) {
  std::vector<const Component*> out(count, nullptr);
  for (const auto& c : components)
    if (c.index < count) out[c.index] = &c;
  return out;
}

detail::ComponentPart to_part(const Component& declared, const std::string& component_name) {
  detail::ComponentPart part;
  part.ok = declared.ok;
  part.errors = declared.errors;
  auto ports = [&](const std::vector<Port>& from, std::vector<detail::PortDecl>& to) {
    for (const auto& p : from) {
      const TypeInfo* type = find_type(p.type);
      if (type == nullptr) {
        part.errors.push_back({SourceMark{}, "component '" + component_name + "': its port '" + p.name +
                                                 "' has type " + p.type + ", which no library loaded here declares"});
        part.ok = false;
        continue;
      }
      to.push_back({p.name, type, p.optional, p.seeded});
    }
  };
  ports(declared.inputs, part.inputs);
  ports(declared.outputs, part.outputs);
  return part;
}

}  // namespace patchbay::control
