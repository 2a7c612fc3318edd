// Not API: a model made concrete. Every component is built, every connector resolved to
// port indices, a channel type and a conversion. Shared by every process type, and by
// check_model() (which builds a graph and throws it away).
#pragma once

#include <deque>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "patchbay/component.hpp"
#include "patchbay/model.hpp"
#include "patchbay/payload.hpp"

namespace patchbay::detail {

struct GraphNode {
  const ComponentSpec* spec = nullptr;
  int worker = 0;  // the worker process it runs in (multiprocess); 0 otherwise
  std::unique_ptr<Component> component;  // null if it failed to build
  std::vector<std::deque<Payload>> initial_values;  // per input port
};

struct GraphEdge {
  const ConnectorSpec* spec = nullptr;
  std::size_t source_node = 0, source_port = 0;
  std::size_t target_node = 0, target_port = 0;
  ChannelSpec channel;             // resolved: never "auto"
  bool same_process = true;        // both ends run in one OS process
  const TypeInfo* convert_to = nullptr;  // set when values must be converted on the way
  std::string label;               // "a.y -> b.x"
};

struct Graph {
  std::vector<GraphNode> nodes;
  std::vector<GraphEdge> edges;
  int workers = 1;  // worker processes (multiprocess), 1 otherwise
};

// Builds the graph, appending every problem found to `errors`. The graph is usable only
// when no errors were added.
// Inputs named in `assume_connected` ("comp.port") are not reported as unconnected: the
// reader already reported the connector meant for them.
Graph build_graph(const Model& model, std::vector<Error>& errors,
                  const std::set<std::string>& assume_connected = {});

}  // namespace patchbay::detail
