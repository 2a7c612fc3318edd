// Model: the description of a graph (components, connectors, the process that runs it),
// built in C++ or read from YAML. A model built in code and one loaded from a file are
// the same thing; model_yaml.hpp reads and writes it. A Model runs nothing: hand it to a
// Process (process.hpp).
#pragma once

#include "patchbay/detail/export.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patchbay/channel.hpp"
#include "patchbay/error.hpp"
#include "patchbay/value.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

class Registry;

// "component.port": the component name is everything before the last dot.
struct PortRef {
  std::string component;
  std::string port;
  static std::optional<PortRef> parse(std::string_view text);
  std::string str() const { return component + "." + port; }
};

struct ComponentSpec {
  std::string type;
  std::string name;
  Value::Object args;
  // port -> values fed to that input before anything from its channels.
  std::vector<std::pair<std::string, Value::Array>> initial_values;
  std::optional<int> worker;  // placement on a worker process (multiprocess, mpi)
  // `replicas: N`: N independent copies, name[0] .. name[N-1], each input row going to
  // whichever copy is free first; their outputs merge. `worker: [0, 1]` (workers) deals
  // the copies out over those workers, `worker: all` over every worker.
  std::optional<int> replicas;
  std::vector<int> workers;
  bool all_workers = false;
  bool preserve_order = false;  // `order: preserve`: outputs in input order (default: arrival)

  // Where each part was written, when the model came from a file.
  SourceMark mark;
  SourceMark type_mark;
  SourceMark name_mark;
  std::map<std::string, SourceMark> arg_marks;
  std::map<std::string, SourceMark> initial_value_marks;
  SourceMark replicas_mark;

  // Set on each copy that `replicas` makes (name[i]) when a model is run; never read from
  // or written to a file.
  struct ReplicaOf {
    std::string group;
    int index = 0;
    bool ordered = false;  // `order: preserve`: every output is sent each step
  };
  std::optional<ReplicaOf> replica_of;

  ComponentSpec& arg(std::string key, Value v);
  ComponentSpec& initial(std::string port, Value::Array values);
};

struct ConnectorSpec {
  std::string source;  // "comp.port"
  std::string target;
  std::optional<ChannelSpec> channel;  // unset: the model's connector_builder

  SourceMark mark;
  SourceMark source_mark;
  SourceMark target_mark;

  std::string str() const { return source + " -> " + target; }
};

struct ProcessSpec {
  std::string type = "local";  // a registered process type: local, multiprocess, or a plugin's
  Value::Object args;          // local: {threads: N}
  SourceMark mark;
};

class Model {
 public:
  ComponentSpec& add_component(std::string type, std::string name, Value::Object args = {});
  ConnectorSpec& connect(std::string source, std::string target);
  ConnectorSpec& connect(std::string source, std::string target, ChannelSpec channel);

  std::vector<ComponentSpec>& components() { return components_; }
  const std::vector<ComponentSpec>& components() const { return components_; }
  std::vector<ConnectorSpec>& connectors() { return connectors_; }
  const std::vector<ConnectorSpec>& connectors() const { return connectors_; }
  ProcessSpec& process() { return process_; }
  const ProcessSpec& process() const { return process_; }
  ChannelSpec& connector_builder() { return connector_builder_; }
  const ChannelSpec& connector_builder() const { return connector_builder_; }
  // Plugin libraries, as written (relative paths are relative to the model file).
  std::vector<std::string>& plugins() { return plugins_; }
  const std::vector<std::string>& plugins() const { return plugins_; }

  ComponentSpec* find(std::string_view name);
  const ComponentSpec* find(std::string_view name) const;

  // The file the model was read from ("" when built in code).
  const std::string& file() const { return file_; }
  void set_file(std::string file) { file_ = std::move(file); }

  // Sets `component.arg` to a value (the command line's --set). Errors name the reason.
  std::optional<std::string> set_arg(std::string_view dotted, Value value);

  // Same components, connectors and settings; places are ignored.
  PATCHBAY_API friend bool operator==(const Model& a, const Model& b);

 private:
  std::vector<ComponentSpec> components_;
  std::vector<ConnectorSpec> connectors_;
  ProcessSpec process_;
  ChannelSpec connector_builder_;
  std::vector<std::string> plugins_;
  std::string file_;
};

// Everything that would stop the model from running: unknown types, bad arguments, unknown
// ports, type mismatches, unconnected inputs, cycles without initial values. Builds each
// component once to see its ports and parameters. An empty list means it can run.
std::vector<Error> check_model(const Model& model);

}  // namespace patchbay
#pragma GCC visibility pop
