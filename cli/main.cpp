// patchbay: run, check, list and draw component-graph models.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <new>
#include <optional>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>
#include <mutex>

#include <patchbay/diagram.hpp>
#include <patchbay/memory.hpp>
#include <patchbay/model_yaml.hpp>
#include <patchbay/plugin.hpp>
#include <patchbay/port.hpp>
#include <patchbay/process.hpp>
#include <patchbay/registry.hpp>
#include <patchbay/schema.hpp>
#include <patchbay/version.hpp>

#include "progress_display.hpp"
#include "signal_watcher.hpp"

namespace pb = patchbay;

namespace {

// Exit codes: 0 success, 1 the run failed, 2 the model or the command line is wrong,
// 130 interrupted.
constexpr int kRunFailed = 1;
constexpr int kBadModel = 2;
constexpr int kInterrupted = 130;

// Text from a model (names, paths, messages that quote them) with its control characters
// shown as \xNN: a name must not move the cursor or clear the terminal.
std::string printable(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// The same, line by line (a summary table keeps its line breaks).
std::string printable_lines(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += printable(text.substr(start, end - start));
    if (end < text.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

void print_errors(const std::vector<pb::Error>& errors) {
  for (const auto& e : errors) std::cerr << printable(e.str()) << "\n";
}

bool load_plugins(const std::vector<std::string>& paths) {
  bool ok = true;
  for (const auto& p : paths) {
    auto load = pb::load_plugin(p);
    if (!load.ok()) {
      std::cerr << "plugin '" << p << "': " << load.error << "\n";
      ok = false;
    }
  }
  return ok;
}

std::optional<pb::LoadResult> load(const std::string& path, const std::vector<std::string>& sets,
                                   pb::Checks checks = pb::Checks::now) {
  std::vector<pb::Override> overrides;
  for (const auto& s : sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "--set " << s << ": expected component.argument=value\n";
      return std::nullopt;
    }
    overrides.push_back({s.substr(0, eq), pb::parse_yaml_value(s.substr(eq + 1))});
  }
  pb::LoadResult result = pb::load_model_file(path, overrides, checks);
  if (!result.ok()) {
    print_errors(result.errors);
    return std::nullopt;
  }
  return result;
}

int run_command(const std::string& path, const std::vector<std::string>& sets, std::optional<int> threads,
                bool quiet, bool summary) {
  // The run checks the model as it builds each component, once, where it runs.
  auto loaded = load(path, sets, pb::Checks::at_run);
  if (!loaded) return kBadModel;
  const bool tty = isatty(STDERR_FILENO) != 0;
  pb::cli::ProgressDisplay progress(tty && !quiet);
  pb::RunOptions options;
  options.threads = threads;
  options.on_progress = [&](const pb::Progress& p) { progress.update(p); };

  std::unique_ptr<pb::Process> process;
  try {
    process = pb::make_process(loaded->model, options);
  } catch (const pb::ModelError& e) {
    print_errors(e.errors());
    return kBadModel;
  }
  pb::cli::SignalWatcher signals([&] { process->request_stop(); });
  pb::RunReport report;
  try {
    report = process->run(loaded->model);
  } catch (const pb::ModelError& e) {
    progress.clear();
    print_errors(e.errors());
    return kBadModel;
  }
  progress.clear();
  if ((tty || summary) && !quiet) std::cerr << printable_lines(pb::format_summary(report));
  if (report.ok) {
    // A run that ended normally with values nobody consumed: worth knowing about.
    for (const auto& c : report.components)
      for (const auto& [port, n] : c.left_over)
        if (!quiet) std::cerr << "note: " << n << " value(s) left unconsumed on " << printable(c.name + "." + port) << "\n";
    return 0;
  }
  std::cerr << "patchbay: " << printable(report.error) << "\n";
  return report.interrupted && !report.stalled ? kInterrupted : kRunFailed;
}

int validate_command(const std::string& path, const std::vector<std::string>& sets) {
  auto loaded = load(path, sets);
  if (!loaded) return kBadModel;
  try {
    pb::make_process(loaded->model);
  } catch (const pb::ModelError& e) {
    print_errors(e.errors());
    return kBadModel;
  }
  std::cout << path << ": ok (" << loaded->model.components().size() << " components, "
            << loaded->model.connectors().size() << " connectors, process " << loaded->model.process().type
            << ")\n";
  return 0;
}

int components_command() {
  for (const auto* type : pb::Registry::global().types()) {
    pb::TypeDescription d = pb::describe(*type);
    std::cout << type->name << "  " << type->help;
    if (type->origin != "builtin") std::cout << "  [" << type->origin << "]";
    std::cout << "\n";
    auto ports = [](const char* label, const auto& list) {
      if (list.empty()) return;
      std::cout << "    " << label;
      bool first = true;
      for (const auto& [name, t] : list) {
        std::cout << (first ? " " : ", ") << name << " (" << t << ")";
        first = false;
      }
      std::cout << "\n";
    };
    if (!d.error.empty()) std::cout << "    error:  cannot be built with default arguments: " << d.error << "\n";
    ports("inputs: ", d.inputs);
    ports("outputs:", d.outputs);
    for (const auto& p : d.params) {
      std::cout << "    param   " << p.name << " (" << p.type << ", "
                << (p.required ? std::string("required") : "default " + p.default_value.dump()) << ")  " << p.help
                << "\n";
    }
  }
  for (const auto& load : pb::loaded_plugins()) {
    if (!load.ok()) {
      std::cout << "plugin " << load.path << " failed: " << load.error << "\n";
      continue;
    }
    std::cout << "plugin " << load.path << " adds:";
    for (const auto& t : load.types) std::cout << " " << t;
    std::cout << (load.types.empty() ? " no component types\n" : "\n");
  }
  return 0;
}

int schema_command() {
  std::cout << pb::model_schema(pb::Registry::global());
  return 0;
}

int diagram_command(const std::string& path, const std::string& format) {
  pb::LoadResult result = pb::read_model_file(path);
  if (!result.ok()) {
    print_errors(result.errors);
    return kBadModel;
  }
  std::cout << pb::render_diagram(result.model, format == "dot" ? pb::DiagramFormat::dot : pb::DiagramFormat::mermaid);
  return 0;
}

// The commands, for "did you mean" when the first word is none of them.
const std::vector<std::string> kCommands = {"run", "validate", "components", "schema", "diagram"};

// "patchbay rn model.yaml": CLI11 would only say that a subcommand is required.
std::optional<int> unknown_command(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return std::nullopt;
  std::string word = argv[1];
  if (std::find(kCommands.begin(), kCommands.end(), word) != kCommands.end()) return std::nullopt;
  auto near = pb::closest_names(word, kCommands);
  std::string best = near.empty() ? std::string() : near.front();
  std::string list;
  for (const auto& c : kCommands) list += (list.empty() ? "" : ", ") + c;
  std::cerr << "patchbay: unknown command '" << printable(word) << "'"
            << (best.empty() ? "" : " (did you mean " + best + "?)") << "; the commands are " << list
            << "\nRun `patchbay --help` for more.\n";
  return kBadModel;
}

}  // namespace

int run_main(int argc, char** argv) {
  if (auto code = unknown_command(argc, argv)) return *code;  // before any thread starts; see patchbay/memory.hpp for why
  CLI::App app{"patchbay: run component-graph dataflow models described in YAML", "patchbay"};
  app.set_version_flag("--version", std::string("patchbay ") + pb::version());
  app.require_subcommand(1);
  app.footer("Run `patchbay COMMAND --help` for a command's options.");

  std::vector<std::string> plugins;
  std::string model_path;
  std::vector<std::string> sets;

  auto* run = app.add_subcommand("run", "run a model until every component has finished");
  run->add_option("model", model_path, "the model file (YAML)")->required()->check(CLI::ExistingFile);
  run->add_option("--set", sets, "override an argument: component.argument=value (repeatable)");
  run->add_option("--plugin", plugins, "load a plugin library first (repeatable)");
  std::optional<int> threads;
  run->add_option("--threads", threads, "threads of the local process (default: process.args.threads, or one per core)")
      ->check(CLI::Range(1, 1024));
  bool quiet = false, summary = false;
  run->add_flag("-q,--quiet", quiet, "no progress line, no summary");
  run->add_flag("--summary", summary, "print the summary table even when not on a terminal");

  auto* validate = app.add_subcommand("validate", "load and check a model, run nothing");
  validate->add_option("model", model_path, "the model file (YAML)")->required()->check(CLI::ExistingFile);
  validate->add_option("--set", sets, "override an argument: component.argument=value (repeatable)");
  validate->add_option("--plugin", plugins, "load a plugin library first (repeatable)");

  auto* components = app.add_subcommand("components", "list every registered component type: ports, types, parameters");
  components->add_option("--plugin", plugins, "load a plugin library first (repeatable)");

  auto* schema = app.add_subcommand("schema", "print the JSON Schema of model files, with every registered component type");
  schema->add_option("--plugin", plugins, "load a plugin library first, to include its types (repeatable)");

  auto* diagram = app.add_subcommand("diagram", "draw a model's graph as Mermaid or Graphviz dot");
  diagram->add_option("model", model_path, "the model file (YAML)")->required()->check(CLI::ExistingFile);
  std::string format = "mermaid";
  diagram->add_option("--format", format, "mermaid (default) or dot")->check(CLI::IsMember({"mermaid", "dot"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);  // prints help, the version, or the error
    return code == 0 ? 0 : kBadModel;
  }

  const bool plugins_ok = load_plugins(plugins);
  // `components` lists what did load, and the failures, and still exits 2 for scripts.
  if (components->parsed()) return components_command() == 0 && plugins_ok ? 0 : kBadModel;
  if (!plugins_ok) return kBadModel;
  if (run->parsed()) return run_command(model_path, sets, threads, quiet, summary);
  if (validate->parsed()) return validate_command(model_path, sets);
  if (schema->parsed()) return schema_command();
  if (diagram->parsed()) return diagram_command(model_path, format);
  return 0;
}

int main(int argc, char** argv) {
  // Whatever escapes the commands ends here with one line, not with std::terminate.
  try {
    return run_main(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("patchbay: out of memory\n", stderr);
  } catch (const std::exception& e) {
    std::cerr << "patchbay: " << printable(e.what()) << "\n";
  }
  return kRunFailed;
}
