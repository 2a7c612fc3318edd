#include "patchbay/model.hpp"

#include <algorithm>

#include "text_util.hpp"

namespace patchbay {

std::optional<PortRef> PortRef::parse(std::string_view text) {
  auto dot = text.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) return std::nullopt;
  return PortRef{std::string(text.substr(0, dot)), std::string(text.substr(dot + 1))};
}

ComponentSpec& ComponentSpec::arg(std::string key, Value v) {
  detail::set_entry(args, std::move(key), std::move(v));
  return *this;
}

ComponentSpec& ComponentSpec::initial(std::string port, Value::Array values) {
  detail::set_entry(initial_values, std::move(port), std::move(values));
  return *this;
}

ComponentSpec& Model::add_component(std::string type, std::string name, Value::Object args) {
  ComponentSpec spec;
  spec.type = std::move(type);
  spec.name = std::move(name);
  spec.args = std::move(args);
  components_.push_back(std::move(spec));
  return components_.back();
}

ConnectorSpec& Model::connect(std::string source, std::string target) {
  ConnectorSpec c;
  c.source = std::move(source);
  c.target = std::move(target);
  connectors_.push_back(std::move(c));
  return connectors_.back();
}

ConnectorSpec& Model::connect(std::string source, std::string target, ChannelSpec channel) {
  auto& c = connect(std::move(source), std::move(target));
  c.channel = std::move(channel);
  return c;
}

ComponentSpec* Model::find(std::string_view name) {
  for (auto& c : components_)
    if (c.name == name) return &c;
  return nullptr;
}

const ComponentSpec* Model::find(std::string_view name) const {
  return const_cast<Model*>(this)->find(name);
}

std::optional<std::string> Model::set_arg(std::string_view dotted, Value value) {
  auto ref = PortRef::parse(dotted);
  if (!ref) return "expected component.argument, got '" + std::string(dotted) + "'";
  ComponentSpec* c = find(ref->component);
  // process.type, process.args.K, connector_builder.K: unless a component has that name.
  if (c == nullptr && dotted.starts_with("process.")) {
    std::string_view key = dotted.substr(8);
    if (key == "type") {
      if (!value.is_string()) return "process.type must be a string, got " + value.describe();
      process_.type = value.as_string();
      return std::nullopt;
    }
    if (key.starts_with("args.") && key.size() > 5) {
      detail::set_entry(process_.args, std::string(key.substr(5)), std::move(value));
      return std::nullopt;
    }
    return "expected process.type or process.args.NAME, got '" + std::string(dotted) + "'";
  }
  if (c == nullptr && dotted.starts_with("connector_builder.")) {
    std::string key(dotted.substr(18));
    if (key == "type") {
      if (!value.is_string()) return "connector_builder.type must be a string, got " + value.describe();
      connector_builder_.type = value.as_string();
    } else if (key == "capacity") {
      if (!value.is_int() || value.as_int() < 1) return "connector_builder.capacity must be a positive integer";
      connector_builder_.capacity = static_cast<std::size_t>(value.as_int());
    } else {
      detail::set_entry(connector_builder_.options, key, std::move(value));
    }
    return std::nullopt;
  }
  if (c == nullptr) {
    std::vector<std::string> names;
    for (const auto& other : components_) names.push_back(other.name);
    auto near = closest_names(ref->component, names);
    return "no component named '" + ref->component + "'" +
           (near.empty() ? "" : " (did you mean " + detail::join(near, " or ") + "?)");
  }
  c->arg(ref->port, std::move(value));
  return std::nullopt;
}

bool operator==(const Model& a, const Model& b) {
  auto same_component = [](const ComponentSpec& x, const ComponentSpec& y) {
    return x.type == y.type && x.name == y.name && x.args == y.args &&
           x.initial_values == y.initial_values && x.worker == y.worker && x.replicas == y.replicas &&
           x.workers == y.workers && x.all_workers == y.all_workers && x.preserve_order == y.preserve_order;
  };
  auto same_connector = [](const ConnectorSpec& x, const ConnectorSpec& y) {
    return x.source == y.source && x.target == y.target && x.channel == y.channel;
  };
  return a.plugins_ == b.plugins_ && a.process_.type == b.process_.type &&
         a.process_.args == b.process_.args && a.connector_builder_ == b.connector_builder_ &&
         std::equal(a.components_.begin(), a.components_.end(), b.components_.begin(),
                    b.components_.end(), same_component) &&
         std::equal(a.connectors_.begin(), a.connectors_.end(), b.connectors_.begin(),
                    b.connectors_.end(), same_connector);
}

}  // namespace patchbay
