// The YAML reader and writer over the Model API.
#include "patchbay/model_yaml.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <variant>

#include <yaml-cpp/depthguard.h>

#include "patchbay/plugin.hpp"
#include "graph.hpp"
#include "text_util.hpp"
#include "value_yaml.hpp"
#include "model_limits.hpp"

namespace patchbay {

namespace {

using detail::mark_of;
using detail::yaml_to_value;


class Reader {
 public:
  Reader(std::string file, std::vector<Error>& errors) : file_(std::move(file)), errors_(errors) {}

  void read(const YAML::Node& root, Model& model) {
    if (!root.IsMap() || !root["patchbay"]) {
      error(root, "expected a map with the key 'patchbay' at the top of the model");
      return;
    }
    for (const auto& kv : root)
      if (kv.first.Scalar() != "patchbay")
        error(kv.first, "unknown key '" + kv.first.Scalar() + "' at the top of the model (everything goes under 'patchbay:')");
    const YAML::Node top = root["patchbay"];
    if (!expect_map(top, "'patchbay'")) return;
    check_keys(top, {"plugins", "process", "connector_builder", "components", "connectors"}, "patchbay");
    if (auto n = top["plugins"]) read_plugins(n, model);
    if (auto n = top["process"]) read_process(n, model.process());
    if (auto n = top["connector_builder"]) {
      if (auto spec = read_channel(n, "connector_builder")) model.connector_builder() = *spec;
    }
    if (auto n = top["components"]) {
      if (expect_seq(n, "'components'"))
        for (const auto& item : n) read_component(item, model);
    } else {
      error(top, "the model has no 'components' list");
    }
    if (auto n = top["connectors"]) {
      if (expect_seq(n, "'connectors'"))
        for (const auto& item : n) read_connector(item, model);
    }
  }

  std::vector<SourceMark> plugin_marks;
  // Targets of connectors that were reported and dropped: their inputs are not also
  // reported as unconnected.
  std::set<std::string> dropped_targets;

 private:
  void error(const YAML::Node& at, std::string message) { errors_.push_back({mark_of(at, file_), std::move(message)}); }

  bool expect_map(const YAML::Node& n, const std::string& what) {
    if (n.IsMap()) return true;
    error(n, "expected a map for " + what + ", got " + describe(n));
    return false;
  }
  bool expect_seq(const YAML::Node& n, const std::string& what) {
    if (n.IsSequence()) return true;
    error(n, "expected a list for " + what + ", got " + describe(n));
    return false;
  }
  std::optional<std::string> expect_string(const YAML::Node& n, const std::string& what) {
    if (n.IsScalar() && !n.Scalar().empty()) return n.Scalar();
    error(n, "expected a string for " + what + ", got " + describe(n));
    return std::nullopt;
  }
  static std::string describe(const YAML::Node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Map: return "a map";
      case YAML::NodeType::Sequence: return "a list";
      case YAML::NodeType::Scalar: return "'" + n.Scalar() + "'";
      default: return "nothing";
    }
  }

  void check_keys(const YAML::Node& map, std::initializer_list<const char*> allowed, const std::string& where) {
    for (const auto& kv : map) {
      const std::string& key = kv.first.Scalar();
      std::vector<std::string> names(allowed.begin(), allowed.end());
      if (std::find(names.begin(), names.end(), key) == names.end())
        error(kv.first, "unknown key '" + key + "' in " + where + " (expected one of: " + detail::join(names) + ")");
    }
  }

  void read_plugins(const YAML::Node& n, Model& model) {
    if (!expect_seq(n, "'plugins'")) return;
    for (const auto& item : n) {
      if (auto s = expect_string(item, "a plugin path")) {
        model.plugins().push_back(*s);
        plugin_marks.push_back(mark_of(item, file_));
      }
    }
  }

  void read_process(const YAML::Node& n, ProcessSpec& spec) {
    if (!expect_map(n, "'process'")) return;
    check_keys(n, {"type", "args"}, "process");
    spec.mark = mark_of(n, file_);
    if (auto t = n["type"]) {
      if (auto s = expect_string(t, "the process type")) spec.type = *s;
    }
    if (auto a = n["args"]) {
      if (expect_map(a, "process args")) spec.args = yaml_to_value(a).as_object();
    }
  }

  std::optional<ChannelSpec> read_channel(const YAML::Node& n, const std::string& where) {
    if (!expect_map(n, where)) return std::nullopt;
    ChannelSpec spec;
    bool ok = true;
    if (auto t = n["type"]) {
      if (auto s = expect_string(t, "the channel type")) spec.type = *s;
      else ok = false;
    }
    // Every other key is an option of the backend, which checks it (graph.cpp).
    for (const auto& kv : n) {
      const std::string& key = kv.first.Scalar();
      if (key == "type" || key == "capacity") continue;
      spec.options.emplace_back(key, yaml_to_value(kv.second));
      spec.option_marks[key] = mark_of(kv.second.IsNull() ? kv.first : kv.second, file_);  // `host:` alone has no place
    }
    if (auto c = n["capacity"]) {
      Value v = yaml_to_value(c);
      const auto max = static_cast<std::int64_t>(detail::max_capacity());
      if (!v.is_int() || v.as_int() < 1 || v.as_int() > max) {
        error(c, "expected a positive integer for the channel capacity (at most " + std::to_string(max) +
                     ", PATCHBAY_MAX_CAPACITY), got " + describe(c));
        ok = false;
      } else {
        spec.capacity = static_cast<std::size_t>(v.as_int());
      }
    }
    return ok ? std::optional(spec) : std::nullopt;
  }

  void read_component(const YAML::Node& n, Model& model) {
    if (!expect_map(n, "a component")) return;
    check_keys(n, {"type", "name", "args", "initial_values", "worker", "replicas", "order"}, "a component");
    std::optional<std::string> type, name;
    if (auto t = n["type"]) type = expect_string(t, "the component type");
    else error(n, "component without 'type'");
    if (auto t = n["name"]) name = expect_string(t, "the component name");
    else error(n, "component without 'name'");
    if (!type || !name) return;

    ComponentSpec& spec = model.add_component(*type, *name);
    spec.mark = mark_of(n, file_);
    spec.type_mark = mark_of(n["type"], file_);
    spec.name_mark = mark_of(n["name"], file_);
    if (auto a = n["args"]) {
      if (a.IsNull()) {
        // `args:` with nothing after it: no arguments.
      } else if (expect_map(a, "component args")) {
        for (const auto& kv : a) {
          spec.args.emplace_back(kv.first.Scalar(), yaml_to_value(kv.second));
          spec.arg_marks[kv.first.Scalar()] = mark_of(kv.second.IsNull() ? kv.first : kv.second, file_);
        }
      }
    }
    if (auto iv = n["initial_values"]) {
      if (expect_map(iv, "initial_values")) {
        for (const auto& kv : iv) {
          Value v = yaml_to_value(kv.second);
          if (!v.is_array()) v = Value::array({v});
          spec.initial_values.emplace_back(kv.first.Scalar(), v.as_array());
          spec.initial_value_marks[kv.first.Scalar()] = mark_of(kv.first, file_);
        }
      }
    }
    if (auto r = n["replicas"]) {
      Value v = yaml_to_value(r);
      spec.replicas_mark = mark_of(r, file_);
      if (v.is_int() && v.as_int() >= 1 && v.as_int() <= detail::kMaxReplicas) spec.replicas = static_cast<int>(v.as_int());
      else error(r, "expected a number of replicas from 1 to " + std::to_string(detail::kMaxReplicas) + ", got " + describe(r));
    }
    if (auto o = n["order"]) {
      Value v = yaml_to_value(o);
      if (v.is_string() && (v.as_string() == "arrival" || v.as_string() == "preserve"))
        spec.preserve_order = v.as_string() == "preserve";
      else error(o, "expected order 'arrival' or 'preserve', got " + describe(o));
      if (!n["replicas"]) error(o, "component '" + *name + "': 'order' is for a component with 'replicas'");
    }
    if (auto w = n["worker"]) read_worker(w, spec, n["replicas"].IsDefined(), *name);
  }

  // `worker: K`, or for replicas a list of workers or `all`.
  void read_worker(const YAML::Node& w, ComponentSpec& spec, bool replicated, const std::string& name) {
    Value v = yaml_to_value(w);
    if (v.is_int() && v.as_int() >= 0 && v.as_int() <= detail::kMaxWorker) {
      spec.worker = static_cast<int>(v.as_int());
      return;
    }
    const bool list = v.is_array() && !v.as_array().empty();
    if (list || (v.is_string() && v.as_string() == "all")) {
      if (!replicated) {
        error(w, "component '" + name + "': a list of workers or 'all' is for a component with 'replicas'; give one worker number");
        return;
      }
      if (!list) {
        spec.all_workers = true;
        return;
      }
      for (const auto& k : v.as_array()) {
        if (!k.is_int() || k.as_int() < 0 || k.as_int() > detail::kMaxWorker) {
          error(w, "expected worker numbers (0 or more), got " + describe(w));
          spec.workers.clear();
          return;
        }
        spec.workers.push_back(static_cast<int>(k.as_int()));
      }
      return;
    }
    error(w, std::string("expected a worker number (0 or more)") + (replicated ? ", a list of them or 'all'" : "") +
                 ", got " + describe(w));
  }

  void read_connector(const YAML::Node& n, Model& model) {
    if (!expect_map(n, "a connector")) return;
    check_keys(n, {"source", "target", "channel"}, "a connector");
    std::optional<std::string> source, target;
    if (auto s = n["source"]) source = expect_string(s, "the connector source (component.port)");
    else error(n, "connector without 'source'");
    if (auto t = n["target"]) target = expect_string(t, "the connector target (component.port)");
    else error(n, "connector without 'target'");
    std::optional<ChannelSpec> channel;
    bool channel_ok = true;
    if (auto c = n["channel"]) {
      channel = read_channel(c, "the connector's channel");
      channel_ok = channel.has_value();
    }
    if (!source || !target || !channel_ok) {
      if (target) dropped_targets.insert(*target);
      return;
    }
    ConnectorSpec& spec = model.connect(*source, *target);
    spec.channel = channel;
    spec.mark = mark_of(n, file_);
    spec.source_mark = mark_of(n["source"], file_);
    spec.target_mark = mark_of(n["target"], file_);
  }

  std::string file_;
  std::vector<Error>& errors_;
};

// Where the first '[' or '{' that is never closed was opened (yaml-cpp only says that the
// end of the file came first). Skips quoted text and comments.
std::optional<SourceMark> unclosed_bracket(std::string_view text, const std::string& file) {
  struct Open {
    char c;
    int line, column;
  };
  std::vector<Open> open;
  int line = 1, column = 0;
  char quote = 0;
  bool comment = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
      comment = false;
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (c == quote && !(quote == '"' && i > 0 && text[i - 1] == '\\')) quote = 0;
      continue;
    }
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t')) comment = true;
    else if (c == '"' || c == '\'') quote = c;
    else if (c == '[' || c == '{') open.push_back({c, line, column});
    else if ((c == ']' || c == '}') && !open.empty()) open.pop_back();
  }
  if (open.empty()) return std::nullopt;
  return SourceMark{file, open.front().line, open.front().column};
}

LoadResult read_model(std::string_view yaml, const std::string& name, std::vector<SourceMark>* plugin_marks,
                      std::set<std::string>* dropped_targets = nullptr) {
  LoadResult result;
  result.model.set_file(name);
  YAML::Node root;
  try {
    std::string text(yaml);
    root = YAML::Load(text);
    if (auto second = detail::second_document(text, name)) {
      result.errors.push_back({*second, "a second YAML document: a model file holds one model (remove the '---' before "
                                        "it, or what the first document does not take)"});
      return result;
    }
  } catch (const YAML::DeepRecursion& e) {  // the parser's own guard, deeper than ours
    result.errors.push_back({SourceMark{name, e.mark.line + 1, e.mark.column + 1},
                             "maps and lists are nested more than " + std::to_string(detail::kMaxModelDepth) +
                                 " levels deep"});
    return result;
  } catch (const YAML::ParserException& e) {
    SourceMark where{name, e.mark.line + 1, e.mark.column + 1};
    std::string message = "malformed YAML: " + e.msg;
    if (e.msg.find("flow not found") != std::string::npos) {
      if (auto open = unclosed_bracket(yaml, name)) {
        where = *open;
        message = "malformed YAML: this bracket is never closed";
      }
    }
    result.errors.push_back({where, message});
    return result;
  }
  detail::check_yaml_structure(root, name, result.errors);
  if (!result.errors.empty()) return result;  // reading it would repeat them, or blow up
  Reader reader(name, result.errors);
  reader.read(root, result.model);
  if (plugin_marks) *plugin_marks = reader.plugin_marks;
  if (dropped_targets) *dropped_targets = reader.dropped_targets;
  return result;
}

}  // namespace

LoadResult read_model_string(std::string_view yaml, const std::string& name) {
  return read_model(yaml, name, nullptr);
}

LoadResult load_model_string(std::string_view yaml, const std::string& name, const std::vector<Override>& overrides,
                             Checks checks) {
  std::vector<SourceMark> plugin_marks;
  std::set<std::string> dropped_targets;
  LoadResult result = read_model(yaml, name, &plugin_marks, &dropped_targets);
  if (result.errors.size() == 1 && result.errors[0].message.rfind("malformed YAML", 0) == 0) return result;
  for (const auto& o : overrides) {
    SourceMark where = SourceMark::command_line(o.target);
    if (auto problem = result.model.set_arg(o.target, o.value)) {
      result.errors.push_back(Error{where, *problem});
    } else if (auto* c = result.model.find(PortRef::parse(o.target)->component)) {
      c->arg_marks[PortRef::parse(o.target)->port] = where;
    } else if (o.target.starts_with("process.")) {
      result.model.process().mark = where;
    } else if (o.target.starts_with("connector_builder.")) {
      result.model.connector_builder().option_marks[o.target.substr(18)] = where;
    }
  }
  // Plugins first: the components they add are needed to check the rest.
  // Relative plugin paths start from the model file's folder (then PATCHBAY_PLUGIN_PATH).
  std::filesystem::path base = std::filesystem::path(name).parent_path();
  for (std::size_t i = 0; i < result.model.plugins().size(); ++i) {
    PluginLoad load = load_plugin(result.model.plugins()[i], base);
    if (!load.ok()) result.errors.push_back({plugin_marks[i], "plugin '" + result.model.plugins()[i] + "': " + load.error});
  }
  // Checking builds every component; a run does that itself, once, where each one runs.
  // A model that will not run anyway is checked now, so every problem shows at once.
  if (checks == Checks::at_run && result.errors.empty()) return result;
  std::vector<Error> semantic;
  detail::build_graph(result.model, semantic, {}, dropped_targets);
  result.errors.insert(result.errors.end(), semantic.begin(), semantic.end());
  return result;
}

namespace {

// The text of a model file, or the error that says why not.
std::variant<std::string, LoadResult> read_model_text(const std::string& path) {
  auto fail = [&](std::string message) {
    LoadResult r;
    SourceMark where;
    where.file = path;
    r.errors.push_back(Error{where, std::move(message)});
    return r;
  };
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    return fail("cannot read the model file: it is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(std::string("cannot read the model file: ") + std::strerror(errno));
  const std::size_t limit = detail::max_model_bytes();
  std::string text;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (text.size() > limit)
      return fail("the model file is larger than " + std::to_string(limit) +
                  " bytes (PATCHBAY_MAX_MODEL_BYTES raises the limit)");
  }
  if (in.bad()) return fail(std::string("cannot read the model file: ") + std::strerror(errno));
  return text;
}

}  // namespace

LoadResult load_model_file(const std::string& path, const std::vector<Override>& overrides, Checks checks) {
  auto text = read_model_text(path);
  if (auto* failed = std::get_if<LoadResult>(&text)) return std::move(*failed);
  return load_model_string(std::get<std::string>(text), path, overrides, checks);
}

LoadResult read_model_file(const std::string& path) {
  auto text = read_model_text(path);
  if (auto* failed = std::get_if<LoadResult>(&text)) return std::move(*failed);
  return read_model_string(std::get<std::string>(text), path);
}

std::string to_yaml(const Model& model) {
  using detail::emit_value;
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "patchbay" << YAML::Value << YAML::BeginMap;
  if (!model.plugins().empty()) {
    out << YAML::Key << "plugins" << YAML::Value << YAML::BeginSeq;
    for (const auto& p : model.plugins()) out << p;
    out << YAML::EndSeq;
  }
  out << YAML::Key << "process" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "type" << YAML::Value << model.process().type;
  if (!model.process().args.empty()) {
    out << YAML::Key << "args" << YAML::Value;
    emit_value(out, Value(model.process().args));
  }
  out << YAML::EndMap;
  auto emit_channel = [&](const ChannelSpec& c) {
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "type" << YAML::Value << c.type;
    if (c.capacity) out << YAML::Key << "capacity" << YAML::Value << c.capacity;
    for (const auto& [key, value] : c.options) {
      out << YAML::Key << key << YAML::Value;
      emit_value(out, value);
    }
    out << YAML::EndMap;
  };
  out << YAML::Key << "connector_builder" << YAML::Value;
  emit_channel(model.connector_builder());

  out << YAML::Key << "components" << YAML::Value << YAML::BeginSeq;
  for (const auto& c : model.components()) {
    out << YAML::BeginMap;
    out << YAML::Key << "type" << YAML::Value << c.type;
    out << YAML::Key << "name" << YAML::Value << c.name;
    if (!c.args.empty()) {
      out << YAML::Key << "args" << YAML::Value;
      emit_value(out, Value(c.args));
    }
    if (!c.initial_values.empty()) {
      out << YAML::Key << "initial_values" << YAML::Value << YAML::Flow << YAML::BeginMap;
      for (const auto& [port, values] : c.initial_values) {
        out << YAML::Key << port << YAML::Value;
        emit_value(out, Value(values));
      }
      out << YAML::EndMap;
    }
    if (c.replicas) out << YAML::Key << "replicas" << YAML::Value << *c.replicas;
    if (c.preserve_order) out << YAML::Key << "order" << YAML::Value << "preserve";
    if (c.worker) out << YAML::Key << "worker" << YAML::Value << *c.worker;
    if (c.all_workers) out << YAML::Key << "worker" << YAML::Value << "all";
    if (!c.workers.empty()) out << YAML::Key << "worker" << YAML::Value << YAML::Flow << c.workers;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;

  out << YAML::Key << "connectors" << YAML::Value << YAML::BeginSeq;
  for (const auto& c : model.connectors()) {
    out << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "source" << YAML::Value << c.source;
    out << YAML::Key << "target" << YAML::Value << c.target;
    if (c.channel) {
      out << YAML::Key << "channel" << YAML::Value;
      emit_channel(*c.channel);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::EndMap << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

void save_model_file(const Model& model, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  out << to_yaml(model);
  if (!out.flush()) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
}

Value parse_yaml_value(std::string_view text) {
  try {
    return yaml_to_value(YAML::Load(std::string(text)));
  } catch (const YAML::Exception&) {
    return Value(std::string(text));
  }
}

}  // namespace patchbay
