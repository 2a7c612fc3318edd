// Not API: a model made concrete. Every connector is resolved to port indices, a channel
// backend and a conversion; every component placed. Shared by every process type, and by
// check_model(). A component is built only in the process that runs it: the graph of a
// process that runs part of a model (or none of it: a coordinator) knows the other
// components by the ports the process that built them declared.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "patchbay/backend/channel.hpp"
#include "patchbay/backend/process_type.hpp"
#include "patchbay/component.hpp"
#include "patchbay/model.hpp"
#include "patchbay/payload.hpp"
#include "patchbay/type_info.hpp"

namespace patchbay::detail {

struct PortDecl {
  std::string name;
  const TypeInfo* type = nullptr;
  bool optional = false;  // an input that may be left unconnected
  bool seeded = false;    // an output that init() assigns (it starts a loop)
};

// One component as a graph sees it: built here (component set), or built elsewhere and
// known by its ports; `errors` are what building it reported (then it has no ports).
struct ComponentPart {
  std::unique_ptr<Component> component;
  bool ok = false;
  std::vector<PortDecl> inputs, outputs;
  std::vector<Error> errors;
};

// Builds one component in this process, recording its ports and what went wrong.
ComponentPart build_component(const ComponentSpec& spec);

// The part for model.components()[index]: built here, or declared by another process.
using PartSource = std::function<ComponentPart(std::size_t index, const ComponentSpec& spec)>;

struct GraphNode {
  const ComponentSpec* spec = nullptr;
  int place = 0;  // the worker (rank) it runs on; 0 when the model runs in one process
  std::unique_ptr<Component> component;  // set when built in this process
  bool ok = false;
  std::vector<PortDecl> inputs, outputs;
  std::vector<std::deque<Payload>> initial_values;  // per input port
};

struct GraphEdge {
  const ConnectorSpec* spec = nullptr;
  std::size_t source_node = 0, source_port = 0;
  std::size_t target_node = 0, target_port = 0;
  ChannelSpec channel;             // resolved: a registered backend, never "auto"
  ChannelBackend* backend = nullptr;  // the one channel.type names
  EdgePlacement placement;         // where the ends run; placement.connector: "a.y -> b.x"
  const TypeInfo* convert_to = nullptr;  // set when values must be converted on the way
};

struct Graph {
  std::shared_ptr<const Model> expanded;  // set when the model has replicas: what nodes point into
  std::vector<GraphNode> nodes;
  std::vector<GraphEdge> edges;
  const ProcessType* process = nullptr;
  Placement placement;
};

// The process type the model names and where it places each component of
// expand_replicas(model) (the model itself when it has no replicas); problems go to
// `errors` (then the type may be null).
const ProcessType* place_model(const Model& model, Placement& placement, std::vector<Error>& errors);

// Builds the graph, appending every problem found to `errors`. The graph is usable only
// when no errors were added. `parts` gives each component (default: built here).
// Inputs named in `assume_connected` ("comp.port") are not reported as unconnected: the
// reader already reported the connector meant for them.
Graph build_graph(const Model& model, std::vector<Error>& errors, const PartSource& parts = {},
                  const std::set<std::string>& assume_connected = {});

}  // namespace patchbay::detail
