// patchbay: run, check, list and draw component-graph models.
#include <unistd.h>

#include <CLI/CLI.hpp>
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

void print_errors(const std::vector<pb::Error>& errors) {
  for (const auto& e : errors) std::cerr << e.str() << "\n";
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
  if ((tty || summary) && !quiet) std::cerr << pb::format_summary(report);
  if (report.ok) {
    // A run that ended normally with values nobody consumed: worth knowing about.
    for (const auto& c : report.components)
      for (const auto& [port, n] : c.left_over)
        if (!quiet) std::cerr << "note: " << n << " value(s) left unconsumed on " << c.name << "." << port << "\n";
    return 0;
  }
  std::cerr << "patchbay: " << report.error << "\n";
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
  std::ifstream in(path);
  if (!in) {
    std::cerr << path << ": cannot read the model file\n";
    return kBadModel;
  }
  std::stringstream text;
  text << in.rdbuf();
  pb::LoadResult result = pb::read_model_string(text.str(), path);
  if (!result.ok()) {
    print_errors(result.errors);
    return kBadModel;
  }
  std::cout << pb::render_diagram(result.model, format == "dot" ? pb::DiagramFormat::dot : pb::DiagramFormat::mermaid);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  pb::keep_freed_memory();  // before any thread starts; see patchbay/memory.hpp for why
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

  if (!load_plugins(plugins) && !components->parsed()) return kBadModel;
  if (run->parsed()) return run_command(model_path, sets, threads, quiet, summary);
  if (validate->parsed()) return validate_command(model_path, sets);
  if (components->parsed()) return components_command();
  if (schema->parsed()) return schema_command();
  if (diagram->parsed()) return diagram_command(model_path, format);
  return 0;
}
