#include "graph.hpp"

#include <map>
#include <set>

#include "patchbay/port.hpp"
#include "component_access.hpp"
#include "text_util.hpp"
#include "patchbay/registry.hpp"

namespace patchbay::detail {

namespace {

template <class Ports>
std::string port_list(const Ports& ports) {
  std::vector<std::string> names;
  for (auto* p : ports) names.push_back(p->name() + " (" + p->type().name + ")");
  return names.empty() ? "none" : join(names);
}

bool types_meet(const TypeInfo& s, const TypeInfo& t) {
  if (s.is_any || t.is_any || same_type(s, t)) return true;
  if (t.is_value) return s.to_value != nullptr;
  if (s.is_value) return t.from_value != nullptr;
  return false;
}

SourceMark or_mark(const SourceMark& m, const SourceMark& fallback) { return m.known() ? m : fallback; }

class Builder {
 public:
  Builder(const Model& model, std::vector<Error>& errors, const std::set<std::string>& assume_connected)
      : model_(model), errors_(errors), assume_connected_(assume_connected) {}

  Graph build() {
    check_default_channel();
    read_workers();
    build_components();
    place_components();
    for (const auto& c : model_.connectors()) resolve_connector(c);
    check_unconnected_inputs();
    check_cycles();
    return std::move(graph_);
  }

 private:
  void error(const SourceMark& where, std::string message) { errors_.push_back({where, std::move(message)}); }

  // The model-wide default channel, checked once even when no connector uses it.
  void check_default_channel() {
    const std::string& type = model_.connector_builder().type;
    if (type != "auto" && find_channel_backend(type) == nullptr) {
      error(SourceMark{}, "connector_builder: unknown channel type '" + type + "' (available: auto, " +
                              join(channel_backend_names()) + ")");
      default_channel_ok_ = false;
    }
  }

  // multiprocess: {workers: N, threads: M}; threads is checked by the local run.
  void read_workers() {
    const ProcessSpec& p = model_.process();
    if (p.type != "multiprocess") return;
    graph_.workers = 2;
    for (const auto& [key, value] : p.args) {
      if (key == "workers") {
        if (!value.is_int() || value.as_int() < 1 || value.as_int() > 256)
          error(p.mark, "process 'multiprocess': 'workers' must be an integer from 1 to 256, got " + value.describe());
        else
          graph_.workers = static_cast<int>(value.as_int());
      } else if (key != "threads") {
        error(p.mark, "process 'multiprocess': unknown argument '" + key + "' (arguments: workers, threads)");
      }
    }
  }

  // A component with `worker: K` runs on worker K; the others are dealt out in turn.
  void place_components() {
    bool multiprocess = model_.process().type == "multiprocess";
    int next = 0;
    for (auto& node : graph_.nodes) {
      const ComponentSpec& spec = *node.spec;
      if (!multiprocess) {
        node.worker = 0;
      } else if (spec.worker) {
        if (*spec.worker < 0 || *spec.worker >= graph_.workers)
          error(spec.mark, "component '" + spec.name + "': worker " + std::to_string(*spec.worker) +
                               " does not exist (workers are numbered 0 to " + std::to_string(graph_.workers - 1) + ")");
        node.worker = *spec.worker;
      } else {
        node.worker = next;
        next = (next + 1) % graph_.workers;
      }
    }
  }

  void build_components() {
    const Registry& registry = Registry::global();
    std::map<std::string, const ComponentSpec*> seen;
    for (const auto& spec : model_.components()) {
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
      GraphNode node;
      node.spec = &spec;
      const ComponentType* type = registry.find(spec.type);
      if (type == nullptr) {
        auto near = registry.nearest(spec.type);
        error(or_mark(spec.type_mark, spec.mark),
              "component '" + spec.name + "': unknown component type '" + spec.type + "'" +
                  (near.empty() ? "" : " (did you mean " + join(near, ", ") + "?)"));
      } else {
        Args args(spec.name, spec.type, spec.args);
        args.component_mark = spec.mark;
        args.value_marks = spec.arg_marks;
        node.component = create_component(*type, args, errors_);
        if (node.component) {
          ComponentAccess::forget_args(*node.component);
          read_initial_values(spec, node);
        }
      }
      index_[spec.name] = graph_.nodes.size();
      graph_.nodes.push_back(std::move(node));
    }
  }

  void read_initial_values(const ComponentSpec& spec, GraphNode& node) {
    Component& c = *node.component;
    node.initial_values.resize(c.inputs().size());
    for (const auto& [port, values] : spec.initial_values) {
      SourceMark where = spec.mark;
      if (auto it = spec.initial_value_marks.find(port); it != spec.initial_value_marks.end()) where = it->second;
      InputPort* in = c.find_input(port);
      if (in == nullptr) {
        error(where, "component '" + spec.name + "': initial_values for unknown input '" + port +
                         "' (inputs: " + port_list(c.inputs()) + ")");
        continue;
      }
      std::size_t index = 0;
      while (c.inputs()[index] != in) ++index;
      for (const auto& v : values) {
        const TypeInfo& t = in->type();
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
  PortBase* find_port(const ConnectorSpec& c, const std::string& text, const SourceMark& where,
                      Direction direction, std::size_t& node_index) {
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
    Component* comp = graph_.nodes[node_index].component.get();
    if (comp == nullptr) return nullptr;  // already reported
    PortBase* port = direction == Direction::output ? static_cast<PortBase*>(comp->find_output(ref->port))
                                                    : static_cast<PortBase*>(comp->find_input(ref->port));
    if (port == nullptr) {
      std::string kind = direction == Direction::output ? "output" : "input";
      std::string hint;
      if (direction == Direction::output && comp->find_input(ref->port)) hint = "; '" + ref->port + "' is an input";
      if (direction == Direction::input && comp->find_output(ref->port)) hint = "; '" + ref->port + "' is an output";
      std::string existing = direction == Direction::output ? port_list(comp->outputs()) : port_list(comp->inputs());
      error(where, "connector " + c.str() + ": component '" + ref->component + "' (" + comp->type_name() +
                       ") has no " + kind + " '" + ref->port + "' (" + kind + "s: " + existing + ")" + hint);
    }
    return port;
  }

  void resolve_connector(const ConnectorSpec& c) {
    GraphEdge edge;
    edge.spec = &c;
    edge.label = c.str();
    PortBase* out = find_port(c, c.source, or_mark(c.source_mark, c.mark), Direction::output, edge.source_node);
    PortBase* in = find_port(c, c.target, or_mark(c.target_mark, c.mark), Direction::input, edge.target_node);
    if (out == nullptr || in == nullptr) return;
    const TypeInfo& s = out->type();
    const TypeInfo& t = in->type();
    if (!types_meet(s, t)) {
      error(c.mark, "connector " + c.str() + ": type mismatch: " + c.source + " is " + s.name + " but " +
                        c.target + " is " + t.name);
      return;
    }
    if (!t.is_any && !same_type(s, t)) edge.convert_to = &t;
    auto& src = *graph_.nodes[edge.source_node].component;
    auto& dst = *graph_.nodes[edge.target_node].component;
    while (src.outputs()[edge.source_port] != out) ++edge.source_port;
    while (dst.inputs()[edge.target_port] != in) ++edge.target_port;
    if (!wired_.insert({c.source, c.target}).second) {
      error(c.mark, "connector " + c.str() + " is given twice");
      return;
    }
    edge.channel = c.channel ? *c.channel : model_.connector_builder();
    const GraphNode& from = graph_.nodes[edge.source_node];
    const GraphNode& to = graph_.nodes[edge.target_node];
    edge.same_process = from.worker == to.worker;
    // auto: in-process within one process, ZeroMQ over ipc between processes.
    if (edge.channel.type == "auto") {
      edge.channel.type = edge.same_process ? "inproc" : "zmq";
      if (edge.same_process) edge.channel.transport = edge.channel.host = "";  // they are for zmq edges
    }
    const std::string& transport = edge.channel.transport;
    if (edge.channel.type == "zmq" && !transport.empty() && transport != "ipc" && transport != "tcp") {
      error(c.mark, "connector " + c.str() + ": unknown transport '" + transport + "' (expected ipc or tcp)");
      return;
    }
    if (edge.channel.type != "zmq" && (!transport.empty() || !edge.channel.host.empty())) {
      error(c.mark, "connector " + c.str() + ": 'transport' and 'host' apply to zmq channels, not '" +
                        edge.channel.type + "'");
      return;
    }
    if (!edge.same_process) {
      const TypeInfo& wire = edge.convert_to ? *edge.convert_to : s;
      if (!wire.is_any && !wire.wire.available()) {
        error(c.mark, "connector " + c.str() + ": its ends run in different processes (workers " +
                          std::to_string(from.worker) + " and " + std::to_string(to.worker) + ") but a " + wire.name +
                          " value cannot leave its process (no wire encoding; see patchbay/json.hpp)");
        return;
      }
    }
    ChannelBackend* backend = find_channel_backend(edge.channel.type);
    if (backend == nullptr) {
      if (c.channel || default_channel_ok_)  // a bad default was reported once already
        error(c.mark, "connector " + c.str() + ": unknown channel type '" + edge.channel.type +
                          "' (available: auto, " + join(channel_backend_names()) + ")");
      return;
    }
    EdgePlacement placement;
    placement.connector = edge.label;
    placement.same_process = edge.same_process;
    if (!backend->can_carry(placement)) {
      std::string why = edge.same_process ? "" : ": its ends run in different processes (workers " +
                                                     std::to_string(from.worker) + " and " + std::to_string(to.worker) + ")";
      error(c.mark, "connector " + c.str() + ": channel '" + edge.channel.type + "' cannot carry this connector" + why);
      return;
    }
    connected_.insert({edge.target_node, edge.target_port});
    graph_.edges.push_back(std::move(edge));
  }

  void check_unconnected_inputs() {
    for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
      const auto& node = graph_.nodes[i];
      if (!node.component) continue;
      const auto& inputs = node.component->inputs();
      for (std::size_t p = 0; p < inputs.size(); ++p) {
        if (connected_.count({i, p})) continue;
        // A connector meant for it failed and was reported already.
        std::string ref = node.spec->name + "." + inputs[p]->name();
        bool broken = assume_connected_.count(ref) > 0;
        for (const auto& c : model_.connectors()) broken = broken || c.target == ref;
        if (!broken)
          error(node.spec->mark, "component '" + node.spec->name + "': input '" + inputs[p]->name() +
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
                            " (give one input on the cycle initial_values)");
    }
  }

  const Model& model_;
  std::vector<Error>& errors_;
  const std::set<std::string>& assume_connected_;
  Graph graph_;
  std::map<std::string, std::size_t> index_;
  std::set<std::pair<std::size_t, std::size_t>> connected_;
  std::set<std::pair<std::string, std::string>> wired_;
  bool default_channel_ok_ = true;
};

}  // namespace

Graph build_graph(const Model& model, std::vector<Error>& errors, const std::set<std::string>& assume_connected) {
  return Builder(model, errors, assume_connected).build();
}

}  // namespace patchbay::detail

namespace patchbay {

std::vector<Error> check_model(const Model& model) {
  std::vector<Error> errors;
  detail::build_graph(model, errors);
  return errors;
}

}  // namespace patchbay
