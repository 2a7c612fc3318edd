#include "graph.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "component_access.hpp"
#include "model_limits.hpp"
#include "option_check.hpp"
#include "replicas.hpp"
#include "patchbay/backend/channel.hpp"
#include "patchbay/port.hpp"
#include "patchbay/registry.hpp"
#include "text_util.hpp"

namespace patchbay::detail {

namespace {
void declare_ports(ComponentPart& part) {
  for (const auto* p : part.component->inputs()) part.inputs.push_back({p->name(), &p->type(), p->is_optional()});
  for (const auto* p : part.component->outputs()) part.outputs.push_back({p->name(), &p->type(), false, p->is_seeded()});
}
}  // namespace

ComponentPart build_component(const ComponentSpec& spec) {
  ComponentPart part;
  if (is_engine_part(spec)) {
    part.component = make_engine_part(spec);
    ComponentAccess::forget_args(*part.component);
    declare_ports(part);
    part.ok = true;
    return part;
  }
  const Registry& registry = Registry::global();
  const ComponentType* type = registry.find(spec.type);
  if (type == nullptr) {
    auto near = registry.nearest(spec.type);
    part.errors.push_back({spec.type_mark.known() ? spec.type_mark : spec.mark,
                           "component '" + spec.name + "': unknown component type '" + spec.type + "'" +
                               (near.empty() ? "" : " (did you mean " + join(near, ", ") + "?)")});
    return part;
  }
  Args args(spec.name, spec.type, spec.args);
  args.component_mark = spec.mark;
  args.value_marks = spec.arg_marks;
  part.component = create_component(*type, args, part.errors);
  if (!part.component) return part;
  ComponentAccess::forget_args(*part.component);
  declare_ports(part);
  // A copy of a replicated component also says when it is free (replicas.hpp).
  if (spec.replica_of) part.outputs.push_back({std::string(kReadyPort), &type_of<std::int64_t>()});
  part.ok = true;
  return part;
}

namespace {
// Copies with `worker: all` go round every place; a dispatcher and a reorderer run with
// their group's first copy.
void place_replicas(const Model& model, Placement& placement) {
  const auto& specs = model.components();
  if (placement.place.size() != specs.size() || placement.places < 1) return;
  // Every run places its model: one without copies costs one look at each component.
  if (std::none_of(specs.begin(), specs.end(), [](const ComponentSpec& s) { return s.replica_of.has_value(); })) return;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < specs.size(); ++i) index.emplace(specs[i].name, i);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const ComponentSpec& spec = specs[i];
    if (spec.replica_of && spec.all_workers) placement.place[i] = spec.replica_of->index % placement.places;
    if (is_engine_part(spec))
      if (auto it = index.find(copy_name(group_of(spec), 0)); it != index.end())
        placement.place[i] = placement.place[it->second];
  }
}
}  // namespace

const ProcessType* place_model(const Model& given, Placement& placement, std::vector<Error>& errors) {
  std::optional<Model> expanded;
  if (has_replicas(given)) expanded = expand_replicas(given);
  const Model& model = expanded ? *expanded : given;
  const ProcessSpec& spec = model.process();
  const ProcessType* type = find_process_type(spec.type);
  if (type == nullptr) {
    errors.push_back({spec.mark, "unknown process type '" + spec.type + "' (available: " + join(process_type_names()) + ")"});
    return nullptr;
  }
  std::size_t before = errors.size();
  check_options(type->parameters(), spec.args, "process '" + spec.type + "'", "argument", spec.mark,
                [](const std::string&) { return SourceMark{}; }, errors);
  if (errors.size() != before) return type;
  placement = type->place(model, errors);
  place_replicas(model, placement);
  return type;
}

namespace {

std::string port_list(const std::vector<PortDecl>& ports) {
  std::vector<std::string> names;
  for (const auto& p : ports)
    if (p.name != kReadyPort) names.push_back(p.name + " (" + p.type->name + ")");  // not the engine's
  return names.empty() ? "none" : join(names);
}

const PortDecl* find_decl(const std::vector<PortDecl>& ports, const std::string& name, std::size_t& index) {
  for (index = 0; index < ports.size(); ++index)
    if (ports[index].name == name) return &ports[index];
  return nullptr;
}

bool types_meet(const TypeInfo& s, const TypeInfo& t) {
  if (s.is_any || t.is_any || same_type(s, t)) return true;
  if (t.is_value) return s.to_value != nullptr;
  if (s.is_value) return t.from_value != nullptr;
  return false;
}

SourceMark or_mark(const SourceMark& m, const SourceMark& fallback) { return m.known() ? m : fallback; }

std::string backend_list() { return "auto, " + join(channel_backend_names()); }

// Whether any registered backend takes this option (auto hands each one its own).
bool some_backend_takes(const std::string& option) {
  for (const auto& name : channel_backend_names())
    for (const auto& p : find_channel_backend(name)->options())
      if (p.name == option) return true;
  return false;
}

std::string all_backend_options() {
  std::vector<std::string> names;
  for (const auto& name : channel_backend_names())
    for (const auto& p : find_channel_backend(name)->options())
      if (std::find(names.begin(), names.end(), p.name) == names.end()) names.push_back(p.name);
  return names.empty() ? "none" : join(names);
}

class Builder {
 public:
  Builder(const Model& model, std::vector<Error>& errors, const PartSource& parts,
          const std::set<std::string>& assume_connected)
      : model_(model), errors_(errors), first_error_(errors.size()), parts_(parts), assume_connected_(assume_connected) {}

  Graph build() {
    graph_.process = place_model(model_, graph_.placement, errors_);
    check_default_channel();
    build_components();
    for (const auto& c : model_.connectors()) resolve_connector(c);
    // The default channel is the model's one choice: its misfits are one error, there.
    if (!default_cannot_carry_.empty())
      error(SourceMark{}, "connector_builder: channel '" + model_.connector_builder().type + "' cannot carry " +
                              std::to_string(default_cannot_carry_.size()) + " connector(s): " +
                              join(default_cannot_carry_, "; ") + " (name another channel type there, or `auto`)");
    check_unconnected_inputs();
    check_cycles();
    speak_of_groups();
    return std::move(graph_);
  }

 private:
  void error(const SourceMark& where, std::string message) { errors_.push_back({where, std::move(message)}); }

  template <class Marks>
  auto marks_of(const Marks& marks) {
    return [&marks](const std::string& key) {
      auto it = marks.find(key);
      return it == marks.end() ? SourceMark{} : it->second;
    };
  }

  // A backend's own options: declared ones with values that fit, then its own check.
  // False if anything is wrong.
  bool check_channel_options(const ChannelBackend& backend, const ChannelSpec& spec, const std::string& what,
                             const SourceMark& where) {
    std::size_t before = errors_.size();
    check_options(backend.options(), spec.options, what + "channel '" + spec.type + "'", "option", where,
                  marks_of(spec.option_marks), errors_);
    if (errors_.size() == before) {
      for (const auto& problem : backend.check(spec)) {
        auto it = spec.option_marks.find(problem.option);
        error(it == spec.option_marks.end() ? where : it->second, what + "channel '" + spec.type + "': " + problem.message);
      }
    }
    return errors_.size() == before;
  }

  // The reader checks a capacity written in the file; this one also catches those from
  // C++ and from --set, before a backend allocates room for them.
  bool check_capacity(const ChannelSpec& spec, const std::string& what, const SourceMark& where) {
    if (spec.capacity <= max_capacity()) return true;
    error(where, what + "channel capacity " + std::to_string(spec.capacity) + " is more than " +
                     std::to_string(max_capacity()) + " (PATCHBAY_MAX_CAPACITY raises the limit)");
    return false;
  }

  // Options of an `auto` channel go to whichever backend it picks: each must be one
  // that some backend takes.
  bool check_auto_options(const ChannelSpec& spec, const std::string& what, const SourceMark& where) {
    bool ok = true;
    for (const auto& [key, value] : spec.options) {
      if (some_backend_takes(key)) continue;
      auto it = spec.option_marks.find(key);
      error(it == spec.option_marks.end() ? where : it->second,
            what + "channel 'auto': no channel backend has an option '" + key + "' (options: " + all_backend_options() + ")");
      ok = false;
    }
    return ok;
  }

  // The model-wide default channel, checked once even when no connector uses it.
  void check_default_channel() {
    const ChannelSpec& spec = model_.connector_builder();
    const std::string what = "connector_builder: ";
    bool ok = check_capacity(spec, what, SourceMark{});
    if (spec.type == "auto") {
      ok = check_auto_options(spec, what, SourceMark{}) && ok;
    } else if (const ChannelBackend* backend = find_channel_backend(spec.type)) {
      ok = check_channel_options(*backend, spec, what, SourceMark{}) && ok;
    } else {
      error(SourceMark{}, what + "unknown channel type '" + spec.type + "' (available: " + backend_list() + ")");
      ok = false;
    }
    default_channel_ok_ = ok;
  }

  void build_components() {
    std::map<std::string, const ComponentSpec*> seen;
    const auto& specs = model_.components();
    for (std::size_t i = 0; i < specs.size(); ++i) {
      const ComponentSpec& spec = specs[i];
      if (spec.name.empty()) {
        error(spec.mark, "a component needs a name");
        continue;
      }
      if (auto it = seen.find(spec.name); it != seen.end()) {
        std::string first = it->second->name_mark.known() ? " (first defined at " + it->second->name_mark.str() + ")" : "";
        error(or_mark(spec.name_mark, spec.mark), "duplicate component name '" + spec.name + "'" + first);
        continue;
      }
      seen[spec.name] = &spec;
      ComponentPart part = parts_ ? parts_(i, spec) : build_component(spec);
      errors_.insert(errors_.end(), part.errors.begin(), part.errors.end());
      GraphNode node;
      node.spec = &spec;
      node.place = i < graph_.placement.place.size() ? graph_.placement.place[i] : 0;
      node.component = std::move(part.component);
      node.ok = part.ok;
      node.inputs = std::move(part.inputs);
      node.outputs = std::move(part.outputs);
      if (node.ok) read_initial_values(spec, node);
      index_[spec.name] = graph_.nodes.size();
      graph_.nodes.push_back(std::move(node));
    }
  }

  // A group's copies are built alike, wired alike and fail alike; so are the engine's
  // parts for the group. What is reported about any of them is said of the group, once.
  void speak_of_groups() {
    if (errors_.size() == first_error_) return;
    std::vector<std::pair<std::string, std::string>> renames;  // a copy or part -> its group
    for (const auto& node : graph_.nodes)
      if (std::string group = group_of(*node.spec); !group.empty() && group != node.spec->name)
        renames.emplace_back(node.spec->name, std::move(group));
    if (renames.empty()) return;
    auto rename = [](std::string& text, const std::string& from, const std::string& to) {
      bool changed = false;
      for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
        changed = true;
      }
      return changed;
    };
    std::vector<Error> said(errors_.begin(), errors_.begin() + static_cast<std::ptrdiff_t>(first_error_));
    for (auto& e : std::vector<Error>(errors_.begin() + static_cast<std::ptrdiff_t>(first_error_), errors_.end())) {
      bool renamed = false;
      for (const auto& [part, group] : renames) {
        renamed = rename(e.message, "'" + part + "'", "'" + group + "'") || renamed;
        renamed = rename(e.message, part + ".", group + ".") || renamed;
      }
      auto same = [&](const Error& x) { return x.message == e.message && x.where.str() == e.where.str(); };
      if (renamed && std::any_of(said.begin(), said.end(), same)) continue;
      said.push_back(std::move(e));
    }
    errors_ = std::move(said);
  }

  void read_initial_values(const ComponentSpec& spec, GraphNode& node) {
    node.initial_values.resize(node.inputs.size());
    for (const auto& [port, values] : spec.initial_values) {
      SourceMark where = spec.mark;
      if (auto it = spec.initial_value_marks.find(port); it != spec.initial_value_marks.end()) where = it->second;
      std::size_t index = 0;
      const PortDecl* in = find_decl(node.inputs, port, index);
      if (in == nullptr) {
        error(where, "component '" + spec.name + "': initial_values for unknown input '" + port +
                         "' (inputs: " + port_list(node.inputs) + ")");
        continue;
      }
      for (const auto& v : values) {
        const TypeInfo& t = *in->type;
        try {
          if (t.is_any || t.is_value) node.initial_values[index].push_back(Payload::make<Value>(v));
          else if (t.from_value) node.initial_values[index].push_back(t.from_value(v));
          else throw std::invalid_argument("type " + t.name + " cannot be read from the model file");
        } catch (const std::invalid_argument& e) {
          error(where, "component '" + spec.name + "': initial value for '" + port + "': " + e.what());
        }
      }
    }
  }

  // Finds comp.port; reports what is wrong with the reference if it cannot.
  const PortDecl* find_port(const ConnectorSpec& c, const std::string& text, const SourceMark& where,
                            Direction direction, std::size_t& node_index, std::size_t& port_index) {
    const char* role = direction == Direction::output ? "source" : "target";
    auto ref = PortRef::parse(text);
    if (!ref) {
      error(where, "connector " + std::string(role) + " '" + text + "': expected component.port");
      return nullptr;
    }
    auto it = index_.find(ref->component);
    if (it == index_.end()) {
      std::vector<std::string> names;
      for (const auto& [n, i] : index_) names.push_back(n);
      error(where, "connector " + c.str() + ": no component named '" + ref->component + "' (components: " +
                       join(names) + ")");
      return nullptr;
    }
    node_index = it->second;
    const GraphNode& node = graph_.nodes[node_index];
    if (!node.ok) return nullptr;  // already reported
    const bool output = direction == Direction::output;
    const PortDecl* port = find_decl(output ? node.outputs : node.inputs, ref->port, port_index);
    if (port == nullptr) {
      std::size_t ignored = 0;
      std::string kind = output ? "output" : "input";
      std::string hint;
      if (output && find_decl(node.inputs, ref->port, ignored)) hint = "; '" + ref->port + "' is an input";
      if (!output && find_decl(node.outputs, ref->port, ignored)) hint = "; '" + ref->port + "' is an output";
      std::string existing = output ? port_list(node.outputs) : port_list(node.inputs);
      error(where, "connector " + c.str() + ": component '" + ref->component + "' (" + node.spec->type +
                       ") has no " + kind + " '" + ref->port + "' (" + kind + "s: " + existing + ")" + hint);
    }
    return port;
  }

  // `auto`: the backend that can carry the edge and wants it most. Backends answer from
  // where the ends run, so the answer is kept for each kind of placement.
  ChannelBackend* pick_auto(const EdgePlacement& placement) {
    auto key = std::pair(placement.same_process, placement.same_host);
    if (auto it = auto_choice_.find(key); it != auto_choice_.end()) return it->second;
    ChannelBackend* best = nullptr;
    int best_preference = 0;
    for (const auto& name : channel_backend_names()) {
      ChannelBackend* b = find_channel_backend(name);
      if (!b->can_carry(placement)) continue;
      int preference = b->auto_preference(placement);
      if (preference > best_preference) {
        best = b;
        best_preference = preference;
      }
    }
    return auto_choice_[key] = best;
  }

  void type_mismatch(const ConnectorSpec& c, const TypeInfo& s, const TypeInfo& t) {
    error(c.mark, "connector " + c.str() + ": type mismatch: " + c.source + " is " + s.name + " but " + c.target +
                      " is " + t.name);
  }

  // A connector to a group reaches its dispatcher, one from an ordered group leaves from
  // its reorderer; their ports take any type, so it is checked against the copies' own
  // port, as if it went to (or came from) them. `other` is the far end's type.
  bool fits_copies(const ConnectorSpec& c, const std::string& group, Direction direction, const std::string& port,
                   const TypeInfo& other) {
    auto it = index_.find(copy_name(group, 0));
    if (it == index_.end() || !graph_.nodes[it->second].ok) return false;  // reported
    const GraphNode& copy = graph_.nodes[it->second];
    const bool input = direction == Direction::input;
    const std::vector<PortDecl>& ports = input ? copy.inputs : copy.outputs;
    std::size_t index = 0;
    const PortDecl* real = find_decl(ports, port, index);
    if (real == nullptr || real->name == kReadyPort) {
      const std::string kind = input ? "input" : "output";
      error(or_mark(input ? c.target_mark : c.source_mark, c.mark),
            "connector " + c.str() + ": component '" + group + "' (" + copy.spec->type + ") has no " + kind + " '" +
                port + "' (" + kind + "s: " + port_list(ports) + ")");
      return false;
    }
    const TypeInfo& s = input ? other : *real->type;
    const TypeInfo& t = input ? *real->type : other;
    if (types_meet(s, t)) return true;
    type_mismatch(c, s, t);
    return false;
  }

  // A dispatcher's lane to a copy's input that the copies do not have, or a copy's lane to
  // its reorderer from an output they do not have.
  bool lane_to_missing_input(const ConnectorSpec& c) {
    auto source = PortRef::parse(c.source), target = PortRef::parse(c.target);
    if (!source || !target) return false;
    auto from = index_.find(source->component), to = index_.find(target->component);
    if (from == index_.end() || to == index_.end()) return false;
    std::size_t index = 0;
    if (is_dispatcher(*graph_.nodes[from->second].spec)) {
      const GraphNode& copy = graph_.nodes[to->second];
      return !copy.ok || find_decl(copy.inputs, target->port, index) == nullptr;
    }
    if (is_reorderer(*graph_.nodes[to->second].spec)) {
      const GraphNode& copy = graph_.nodes[from->second];
      return !copy.ok || find_decl(copy.outputs, source->port, index) == nullptr;
    }
    return false;
  }

  void resolve_connector(const ConnectorSpec& c) {
    GraphEdge edge;
    edge.spec = &c;
    edge.placement.connector = c.str();
    if (lane_to_missing_input(c)) return;  // reported at the group's connector
    const PortDecl* out = find_port(c, c.source, or_mark(c.source_mark, c.mark), Direction::output, edge.source_node,
                                    edge.source_port);
    const PortDecl* in = find_port(c, c.target, or_mark(c.target_mark, c.mark), Direction::input, edge.target_node,
                                   edge.target_port);
    if (out == nullptr || in == nullptr) return;
    const TypeInfo& s = *out->type;
    const TypeInfo& t = *in->type;
    const ComponentSpec& from_spec = *graph_.nodes[edge.source_node].spec;
    const ComponentSpec& to_spec = *graph_.nodes[edge.target_node].spec;
    if (is_dispatcher(to_spec) && in->name != kReadyPort && !fits_copies(c, to_spec.name, Direction::input, in->name, s))
      return;
    if (is_reorderer(from_spec) && !fits_copies(c, group_of(from_spec), Direction::output, out->name, t)) return;
    if (!types_meet(s, t)) {
      type_mismatch(c, s, t);
      return;
    }
    if (!t.is_any && !same_type(s, t)) edge.convert_to = &t;
    if (!wired_.insert({c.source, c.target}).second) {
      error(c.mark, "connector " + c.str() + " is given twice");
      return;
    }
    const GraphNode& from = graph_.nodes[edge.source_node];
    const GraphNode& to = graph_.nodes[edge.target_node];

    edge.placement.same_process = graph_.placement.one_process || from.place == to.place;
    auto between = [&] {
      return "its ends run in different processes (workers " + std::to_string(from.place) + " and " +
             std::to_string(to.place) + ")";
    };
    if (!edge.placement.same_process) {
      const TypeInfo& wire = edge.convert_to ? *edge.convert_to : s;
      if (!wire.is_any && !wire.wire.available()) {
        error(c.mark, "connector " + c.str() + ": " + between() + " but a " + wire.name +
                          " value cannot leave its process (no wire encoding; see patchbay/json.hpp)");
        return;
      }
    }
    const bool own = c.channel.has_value();
    edge.channel = own ? *c.channel : model_.connector_builder();
    const std::string what = "connector " + edge.placement.connector + ": ";
    if (own && !check_capacity(edge.channel, what, c.mark)) return;
    ChannelBackend* backend = nullptr;
    if (edge.channel.type == "auto") {
      if (own && !check_auto_options(edge.channel, what, c.mark)) return;
      backend = pick_auto(edge.placement);
      if (backend == nullptr) {
        error(c.mark, what + "no channel backend can carry it" +
                          (edge.placement.same_process ? "" : ": " + between()) +
                          " (available: " + join(channel_backend_names()) + ")");
        return;
      }
      // The options meant for other backends stay with the spec, not with this edge.
      edge.channel.type = std::string(backend->name());
      if (!edge.channel.options.empty()) {
        std::vector<ParamInfo> takes = backend->options();
        std::erase_if(edge.channel.options, [&](const auto& option) {
          return std::none_of(takes.begin(), takes.end(), [&](const ParamInfo& p) { return p.name == option.first; });
        });
      }
      // The default channel's options are checked once per backend auto hands them to.
      if ((own || default_checked_for_.insert(edge.channel.type).second) &&
          !check_channel_options(*backend, edge.channel, own ? what : "connector_builder: ", own ? c.mark : SourceMark{}))
        return;
    } else {
      backend = find_channel_backend(edge.channel.type);
      if (backend == nullptr) {
        if (own || default_channel_ok_)  // a bad default was reported once already
          error(c.mark, what + "unknown channel type '" + edge.channel.type + "' (available: " + backend_list() + ")");
        return;
      }
      if (own && !check_channel_options(*backend, edge.channel, what, c.mark)) return;
      if (!backend->can_carry(edge.placement)) {
        std::string why = edge.placement.same_process ? "" : ": " + between();
        if (own) error(c.mark, what + "channel '" + edge.channel.type + "' cannot carry this connector" + why);
        else default_cannot_carry_.push_back(c.str() + (edge.placement.same_process ? "" : " (" + between() + ")"));
        return;
      }
    }
    edge.backend = backend;
    connected_.insert({edge.target_node, edge.target_port});
    graph_.edges.push_back(std::move(edge));
  }

  void check_unconnected_inputs() {
    for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
      const auto& node = graph_.nodes[i];
      if (!node.ok) continue;
      for (std::size_t p = 0; p < node.inputs.size(); ++p) {
        if (connected_.count({i, p}) || node.inputs[p].optional) continue;
        // A connector meant for it failed and was reported already.
        std::string ref = node.spec->name + "." + node.inputs[p].name;
        bool broken = assume_connected_.count(ref) > 0;
        for (const auto& c : model_.connectors()) broken = broken || c.target == ref;
        if (!broken)
          error(node.spec->mark, "component '" + node.spec->name + "': input '" + node.inputs[p].name +
                                     "' is not connected");
      }
    }
  }

  // A cycle needs an initial value on one of its edges to ever start.
  void check_cycles() {
    std::size_t n = graph_.nodes.size();
    std::vector<std::vector<std::size_t>> preds(n), succs(n);
    for (const auto& e : graph_.edges) {
      const auto& target = graph_.nodes[e.target_node];
      if (!target.initial_values.empty() && !target.initial_values[e.target_port].empty()) continue;
      if (graph_.nodes[e.source_node].outputs[e.source_port].seeded) continue;
      preds[e.target_node].push_back(e.source_node);
      succs[e.source_node].push_back(e.target_node);
    }
    std::vector<std::size_t> indegree(n);
    for (std::size_t i = 0; i < n; ++i) indegree[i] = preds[i].size();
    std::vector<std::size_t> ready;
    for (std::size_t i = 0; i < n; ++i)
      if (indegree[i] == 0) ready.push_back(i);
    std::vector<bool> removed(n);
    while (!ready.empty()) {
      std::size_t i = ready.back();
      ready.pop_back();
      removed[i] = true;
      for (std::size_t s : succs[i])
        if (--indegree[s] == 0) ready.push_back(s);
    }
    // Every node left has a predecessor that is also left: walk back until a node repeats.
    std::vector<bool> reported(n);
    for (std::size_t start = 0; start < n; ++start) {
      if (removed[start] || reported[start]) continue;
      std::vector<std::size_t> path;
      std::map<std::size_t, std::size_t> position;
      std::size_t at = start;
      bool seen_before = false;  // reached a cycle reported from another start
      while (!position.count(at)) {
        if (reported[at]) {
          seen_before = true;
          break;
        }
        position[at] = path.size();
        path.push_back(at);
        for (std::size_t p : preds[at]) {
          if (!removed[p]) {
            at = p;
            break;
          }
        }
      }
      for (std::size_t i : path) reported[i] = true;
      if (seen_before) continue;
      std::vector<std::size_t> cycle(path.begin() + static_cast<std::ptrdiff_t>(position[at]), path.end());
      std::vector<std::string> names;
      for (auto it = cycle.rbegin(); it != cycle.rend(); ++it) names.push_back(graph_.nodes[*it].spec->name);
      names.push_back(names.front());
      const auto& first = *graph_.nodes[cycle.back()].spec;
      error(first.mark, "cycle without an initial value: " + join(names, " -> ") +
                            " (give one input on the cycle initial_values, or send the first value from init() on an output "
                            "declared with Component::seeded)");
    }
  }

  const Model& model_;
  std::vector<Error>& errors_;
  const std::size_t first_error_;  // errors_ before this graph: not this builder's to change
  const PartSource& parts_;
  const std::set<std::string>& assume_connected_;
  Graph graph_;
  std::map<std::string, std::size_t> index_;
  std::set<std::pair<std::size_t, std::size_t>> connected_;
  std::set<std::pair<std::string, std::string>> wired_;
  bool default_channel_ok_ = true;
  std::set<std::string> default_checked_for_;
  std::vector<std::string> default_cannot_carry_;
  std::map<std::pair<bool, bool>, ChannelBackend*> auto_choice_;
};

}  // namespace

namespace {
// What expand_replicas() needs to hold before it runs (the reader checks files; this also
// catches models built in C++).
bool replicas_are_sound(const Model& model, std::vector<Error>& errors) {
  bool ok = true;
  for (const auto& spec : model.components()) {
    auto fail = [&](const SourceMark& where, const std::string& message) {
      errors.push_back({or_mark(where, spec.mark), "component '" + spec.name + "': " + message});
      ok = false;
    };
    if (spec.replicas && (*spec.replicas < 1 || *spec.replicas > kMaxReplicas))
      fail(spec.replicas_mark, "replicas must be from 1 to " + std::to_string(kMaxReplicas));
    if (!spec.replicas && (!spec.workers.empty() || spec.all_workers || spec.preserve_order))
      fail(spec.mark, "a list of workers, `worker: all` and `order` are for a component with replicas");
  }
  return ok;
}
}  // namespace

Graph build_graph(const Model& model, std::vector<Error>& errors, const PartSource& parts,
                  const std::set<std::string>& assume_connected) {
  if (!has_replicas(model) || !replicas_are_sound(model, errors))
    return Builder(model, errors, parts, assume_connected).build();
  // The graph keeps the rewritten model: its nodes and edges point into it.
  auto expanded = std::make_shared<const Model>(expand_replicas(model));
  Graph graph = Builder(*expanded, errors, parts, assume_connected).build();
  graph.expanded = std::move(expanded);
  return graph;
}

}  // namespace patchbay::detail

namespace patchbay {

std::vector<Error> check_model(const Model& model) {
  std::vector<Error> errors;
  detail::build_graph(model, errors);
  return errors;
}

}  // namespace patchbay
