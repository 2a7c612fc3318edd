// The messages between the coordinator of a multiprocess run and its workers, each a
// struct with typed fields, sent as one CBOR-encoded object with a "type". They are few and small
// (setup, ports, progress, a report at the end), so readability wins over speed here.
// Values never travel this way.
//
//   coordinator -> worker       worker -> coordinator
//   ---------------------       ---------------------
//                               Hello {pid}
//   Setup {model, plugins}
//                               Declared {its components' ports, or their errors}
//   Ports {every component}     (once every worker declared, and the graph checks)
//                               Bound {endpoints of the channel ends it receives on}
//   Connect {every endpoint}
//                               Ready
//   Start
//                               Progress {...} every 250 ms
//   Stop {interrupted} | Abort
//                               Report {report} | Failed {error}
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "patchbay/error.hpp"
#include "patchbay/process.hpp"

namespace patchbay {
void to_json(nlohmann::json& j, const RunReport& r);
void from_json(const nlohmann::json& j, RunReport& r);
void to_json(nlohmann::json& j, const Error& e);
void from_json(const nlohmann::json& j, Error& e);
}  // namespace patchbay

namespace patchbay::control {

struct Port {
  std::string name;
  std::string type;  // a TypeInfo name, found again with find_type()
  bool optional = false;  // an input that may be left unconnected
  bool seeded = false;    // an output that init() assigns
};

// A component as the worker that built it saw it: its ports, or what went wrong.
struct Component {
  std::uint64_t index = 0;  // in model.components()
  bool ok = false;
  std::vector<Port> inputs, outputs;
  std::vector<Error> errors;
};

struct Hello {
  static constexpr std::string_view kType = "hello";
  std::int64_t pid = 0;
};
struct Setup {
  static constexpr std::string_view kType = "setup";
  std::string model;  // YAML
  std::string file;   // the model file, for messages
  std::vector<std::string> plugins;  // absolute paths, loaded in this order
  int threads = 1;
  // Arguments given with --set (component, argument): their relative paths are taken from
  // the current folder, not the model file's.
  std::vector<std::pair<std::string, std::string>> set_args;
};
struct Declared {
  static constexpr std::string_view kType = "declared";
  std::vector<Component> components;
};
struct Ports {
  static constexpr std::string_view kType = "ports";
  std::vector<Component> components;
};
struct Bound {
  static constexpr std::string_view kType = "bound";
  std::map<std::string, std::string> endpoints;  // edge index -> endpoint
};
struct Connect {
  static constexpr std::string_view kType = "connect";
  std::map<std::string, std::string> endpoints;
};
struct Ready {
  static constexpr std::string_view kType = "ready";
};
struct Start {
  static constexpr std::string_view kType = "start";
};
struct Progress {
  static constexpr std::string_view kType = "progress";
  std::uint64_t steps = 0, values = 0, completed = 0;
  bool idle = false;  // no node here scheduled or running
  std::uint64_t runs = 0;  // node runs started so far
  std::vector<std::string> waiting;
};
struct Stop {
  static constexpr std::string_view kType = "stop";
  bool interrupted = false;
};
struct Abort {
  static constexpr std::string_view kType = "abort";
};
struct Report {
  static constexpr std::string_view kType = "report";
  RunReport report;
};
struct Failed {
  static constexpr std::string_view kType = "failed";
  std::string error;
  std::vector<Error> errors;  // set when the model did not check there: each, located
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Port, name, type, optional, seeded)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Component, index, ok, inputs, outputs, errors)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Hello, pid)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Setup, model, file, plugins, threads, set_args)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Declared, components)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Ports, components)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Bound, endpoints)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Connect, endpoints)
inline void to_json(nlohmann::json& j, const Ready&) { j = nlohmann::json::object(); }
inline void from_json(const nlohmann::json&, Ready&) {}
inline void to_json(nlohmann::json& j, const Start&) { j = nlohmann::json::object(); }
inline void from_json(const nlohmann::json&, Start&) {}
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Progress, steps, values, completed, idle, runs, waiting)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Stop, interrupted)
inline void to_json(nlohmann::json& j, const Abort&) { j = nlohmann::json::object(); }
inline void from_json(const nlohmann::json&, Abort&) {}
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Report, report)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Failed, error, errors)

// One message as bytes: its fields and its "type", as CBOR. (Not JSON text: names and
// paths are bytes, not always UTF-8, and must reach the workers as they are.)
template <class M>
std::string encode(const M& message) {
  nlohmann::json j = message;
  j["type"] = M::kType;
  std::string out;
  nlohmann::json::to_cbor(j, out);
  return out;
}

// A received message: its type, and its fields once the type is known. parse() and
// as<M>() throw nlohmann::json::exception when the text is not such a message.
class Received {
 public:
  static Received parse(std::string_view text) {
    Received r;
    r.json_ = nlohmann::json::from_cbor(text);
    r.type_ = r.json_.at("type").get<std::string>();
    return r;
  }
  const std::string& type() const { return type_; }
  template <class M>
  bool is() const {
    return type_ == M::kType;
  }
  template <class M>
  M as() const {
    return json_.get<M>();
  }

 private:
  nlohmann::json json_;
  std::string type_;
};

}  // namespace patchbay::control

namespace patchbay::detail {
struct ComponentPart;
}

namespace patchbay::control {

// A component built here, as the others are told of it.
Component declare(std::uint64_t index, const detail::ComponentPart& part);
// The declared components by model index (null where none came), for build_graph().
std::vector<const Component*> by_model_index(const std::vector<Component>& components, std::size_t count);
// A component built elsewhere, as a graph here sees it. A port type no library loaded
// here knows makes it an error.
detail::ComponentPart to_part(const Component& declared, const std::string& component_name);

}  // namespace patchbay::control
