#include "replicas.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "patchbay/json.hpp"
#include "patchbay/port.hpp"

namespace patchbay::detail {

// NoValue crosses processes as CBOR null; registered at load, so every process knows it.
void to_json(nlohmann::json& j, const NoValue&) { j = nullptr; }
void from_json(const nlohmann::json&, NoValue&) {}

namespace {

const TypeInfo* const kNoValueType = &type_of<NoValue>();

std::string lane_port(const std::string& input, int i) { return input + "@" + std::to_string(i); }
// The reorderer's input for a group output (its own output of that name passes it on).
std::string result_port(const std::string& output) { return "~" + output; }

// Takes a row (one value on each input) and a free copy's index, and sends the row to
// that copy. Its ports carry any type: the graph checks the group's connectors against
// the copies' own input types.
class Dispatcher final : public Component {
 public:
  Dispatcher(const Args& args, const std::vector<std::string>& inputs, int copies, bool ordered) : Component(args) {
    for (const auto& name : inputs) {
      rows_.push_back(&add_input<Any>(name));
      auto& lanes = lanes_.emplace_back();
      for (int i = 0; i < copies; ++i) lanes.push_back(&add_output<Any>(lane_port(name, i)));
    }
    ready_ = &add_input<std::int64_t>(std::string(kReadyPort));
    if (ordered) order_ = &add_output<std::int64_t>(std::string(kOrderPort));
  }

  void step() override {
    const std::int64_t i = ready_->get();
    if (lanes_.empty() || i < 0 || static_cast<std::size_t>(i) >= lanes_.front().size())
      throw std::logic_error("a copy that does not exist (" + std::to_string(i) + ") says it is free");
    for (std::size_t k = 0; k < rows_.size(); ++k) lanes_[k][static_cast<std::size_t>(i)]->send(rows_[k]->get());
    if (order_) *order_ = i;
  }

 private:
  std::vector<Input<Any>*> rows_;
  std::vector<std::vector<Output<Any>*>> lanes_;  // per input, per copy
  Input<std::int64_t>* ready_ = nullptr;
  Output<std::int64_t>* order_ = nullptr;  // which copy took each row, for the reorderer
};

// Passes on one row of results per step, from the copy that took the next row: the
// engine reads its inputs other than ~order only from the channel of that copy (the k-th
// channel of each is copy k's). NoValue markers are not passed on.
class Reorderer final : public Component {
 public:
  Reorderer(const Args& args, const std::vector<std::string>& outputs) : Component(args) {
    order_ = &add_input<std::int64_t>(std::string(kOrderPort));
    for (const auto& name : outputs) {
      ins_.push_back(&add_input<Any>(result_port(name)));
      outs_.push_back(&add_output<Any>(name));
    }
  }
  void step() override {
    for (std::size_t k = 0; k < ins_.size(); ++k)
      if (!is_no_value(ins_[k]->get())) outs_[k]->send(ins_[k]->get());
  }

 private:
  Input<std::int64_t>* order_ = nullptr;
  std::vector<Input<Any>*> ins_;
  std::vector<Output<Any>*> outs_;
};

}  // namespace

bool has_replicas(const Model& model) {
  return std::any_of(model.components().begin(), model.components().end(),
                     [](const ComponentSpec& c) { return c.replicas.has_value(); });
}

std::string copy_name(const std::string& group, int i) { return group + "[" + std::to_string(i) + "]"; }

std::string group_of(const ComponentSpec& spec) {
  if (spec.replica_of) return spec.replica_of->group;
  if (is_dispatcher(spec)) return spec.name;
  if (is_reorderer(spec)) return spec.name.substr(0, spec.name.size() - kReorderSuffix.size());
  return {};
}

bool is_dispatcher(const ComponentSpec& spec) { return spec.type == kDispatcherType; }
bool is_reorderer(const ComponentSpec& spec) { return spec.type == kReorderType; }

Payload no_value() { return Payload::make<NoValue>(NoValue{}); }
bool is_no_value(const Payload& p) { return p.type() != nullptr && same_type(*p.type(), *kNoValueType); }

Model expand_replicas(const Model& model) {
  Model out;
  out.process() = model.process();
  out.connector_builder() = model.connector_builder();
  out.plugins() = model.plugins();
  out.set_file(model.file());

  std::map<std::string, const ComponentSpec*> groups;
  for (const auto& spec : model.components()) {
    if (!spec.replicas) {
      out.components().push_back(spec);
      continue;
    }
    groups[spec.name] = &spec;
    for (int i = 0; i < *spec.replicas; ++i) {
      ComponentSpec copy = spec;
      copy.name = copy_name(spec.name, i);
      copy.replicas.reset();
      copy.initial_values.clear();  // they feed the group's queue
      copy.workers.clear();
      // all_workers stays: the copy goes round every place (place_model)
      copy.preserve_order = false;
      if (!spec.workers.empty()) copy.worker = spec.workers[static_cast<std::size_t>(i) % spec.workers.size()];
      copy.replica_of = ComponentSpec::ReplicaOf{spec.name, i, spec.preserve_order};
      out.components().push_back(std::move(copy));
    }
  }

  // The group's inputs, as its connectors name them, in the order they are first named.
  std::map<std::string, std::vector<std::string>> inputs;
  for (const auto& c : model.connectors()) {
    auto target = PortRef::parse(c.target);
    if (!target || !groups.count(target->component)) continue;
    auto& names = inputs[target->component];
    if (std::find(names.begin(), names.end(), target->port) == names.end()) names.push_back(target->port);
  }
  for (const auto& [name, spec] : groups) {
    if (!inputs.count(name)) continue;  // copies of a source: each runs on its own
    for (const auto& [port, values] : spec->initial_values)
      if (std::find(inputs[name].begin(), inputs[name].end(), port) == inputs[name].end()) inputs[name].push_back(port);
  }

  // An ordered group (with a dispatcher) sends its outputs through its reorderer; copies
  // of a source have no rows to order.
  auto ordered = [&](const std::string& name) { return groups.at(name)->preserve_order && inputs.count(name); };
  for (auto& c : out.components())
    if (c.replica_of) c.replica_of->ordered = ordered(c.replica_of->group);
  std::map<std::string, std::vector<std::string>> outputs;  // of ordered groups, as connectors name them

  // A group's connectors: its outputs leave from every copy (or from its reorderer); its
  // inputs reach the dispatcher.
  for (const auto& c : model.connectors()) {
    auto source = PortRef::parse(c.source);
    auto group = source ? groups.find(source->component) : groups.end();
    if (group == groups.end()) {
      out.connectors().push_back(c);
      continue;
    }
    if (ordered(group->first)) {
      auto& names = outputs[group->first];
      if (std::find(names.begin(), names.end(), source->port) == names.end()) names.push_back(source->port);
      ConnectorSpec each = c;
      each.source = group->first + std::string(kReorderSuffix) + "." + source->port;
      out.connectors().push_back(std::move(each));
      continue;
    }
    for (int i = 0; i < *group->second->replicas; ++i) {
      ConnectorSpec each = c;
      each.source = copy_name(group->first, i) + "." + source->port;
      out.connectors().push_back(std::move(each));
    }
  }

  // The dispatchers come last, so that dealing out the other components is unchanged;
  // each runs where its first copy runs (place_model).
  for (const auto& [name, spec] : groups) {
    auto it = inputs.find(name);
    if (it == inputs.end()) continue;
    const int copies = *spec->replicas;
    ComponentSpec d;
    d.type = std::string(kDispatcherType);
    d.name = name;
    d.mark = spec->mark;
    d.name_mark = spec->name_mark;
    d.type_mark = spec->type_mark;
    Value::Array names;
    for (const auto& port : it->second) names.push_back(Value(port));
    d.args = {{"inputs", Value(names)}, {"replicas", Value(static_cast<std::int64_t>(copies))},
              {"ordered", Value(ordered(name))}};
    d.initial_values = spec->initial_values;
    d.initial_value_marks = spec->initial_value_marks;
    Value::Array tokens;
    for (int i = 0; i < copies; ++i) tokens.push_back(Value(static_cast<std::int64_t>(i)));
    d.initial_values.emplace_back(std::string(kReadyPort), tokens);
    out.components().push_back(std::move(d));
    for (int i = 0; i < copies; ++i) {
      const std::string copy = copy_name(name, i);
      for (const auto& port : it->second) {
        ConnectorSpec& lane = out.connect(name + "." + lane_port(port, i), copy + "." + port);
        lane.mark = spec->mark;
      }
      ConnectorSpec& ready = out.connect(copy + "." + std::string(kReadyPort), name + "." + std::string(kReadyPort));
      ready.mark = spec->mark;
    }
    if (!ordered(name)) continue;
    // The reorderer: the k-th connector into each of its inputs is copy k's.
    const std::string reorderer = name + std::string(kReorderSuffix);
    ComponentSpec r;
    r.type = std::string(kReorderType);
    r.name = reorderer;
    r.mark = spec->mark;
    Value::Array outs;
    for (const auto& port : outputs[name]) outs.push_back(Value(port));
    r.args = {{"outputs", Value(outs)}};
    out.components().push_back(std::move(r));
    out.connect(name + "." + std::string(kOrderPort), reorderer + "." + std::string(kOrderPort)).mark = spec->mark;
    for (const auto& port : outputs[name])
      for (int i = 0; i < copies; ++i)
        out.connect(copy_name(name, i) + "." + port, reorderer + "." + result_port(port)).mark = spec->mark;
  }
  return out;
}

std::unique_ptr<Component> make_engine_part(const ComponentSpec& spec) {
  std::vector<std::string> ports;
  int copies = 0;
  bool is_ordered = false;
  for (const auto& [key, value] : spec.args) {
    if (key == "inputs" || key == "outputs")
      for (const auto& v : value.as_array()) ports.push_back(v.as_string());
    if (key == "replicas") copies = static_cast<int>(value.as_int());
    if (key == "ordered") is_ordered = value.as_bool();
  }
  Args args(spec.name, spec.type);
  if (is_reorderer(spec)) return std::make_unique<Reorderer>(args, ports);
  return std::make_unique<Dispatcher>(args, ports, copies, is_ordered);
}

}  // namespace patchbay::detail
