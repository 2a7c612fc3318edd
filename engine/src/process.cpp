#include "patchbay/process.hpp"

#include <malloc.h>

#include <cstdio>

#include <algorithm>
#include <thread>

#include "graph.hpp"
#include "part_list.hpp"
#include "patchbay/backend/process_type.hpp"
#include "patchbay/memory.hpp"
#include "patchbay/plugin.hpp"
#include "text_util.hpp"

namespace patchbay {

std::uint64_t RunReport::total_steps() const {
  std::uint64_t n = 0;
  for (const auto& c : components) n += c.steps;
  return n;
}

std::uint64_t RunReport::total_values() const {
  std::uint64_t n = 0;
  for (const auto& c : components) n += c.values_out;
  return n;
}

std::uint64_t RunReport::total_left_over() const {
  std::uint64_t n = 0;
  for (const auto& c : components)
    for (const auto& [port, count] : c.left_over) n += count;
  return n;
}

detail::PartList<ProcessType>& detail::process_types() {
  static PartList<ProcessType> list("process type");
  return list;
}

sdk::ProcessTypeRegistration::ProcessTypeRegistration(std::unique_ptr<ProcessType> type) {
  detail::process_types().add(std::move(type));
}

const ProcessType* find_process_type(std::string_view name) { return detail::process_types().find(name); }

std::vector<std::string> process_type_names() { return detail::process_types().names(); }

Placement ProcessType::place(const Model& model, std::vector<Error>&) const {
  Placement p;
  p.place.assign(model.components().size(), 0);
  return p;
}

int ProcessType::worker_main(const std::vector<std::string>&) const {
  std::fprintf(stderr, "patchbay-worker: process type '%.*s' starts no workers\n", static_cast<int>(name().size()),
               name().data());
  return 2;
}

int run_threads(const Model& model, const RunOptions& options) {
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (const auto& [key, value] : model.process().args)
    if (key == "threads" && value.is_int()) threads = static_cast<int>(value.as_int());
  if (options.threads) {
    if (*options.threads < 1 || *options.threads > 1024)
      throw ModelError({Error{SourceMark{}, std::string("threads must be from 1 to 1024")}});
    threads = *options.threads;
  }
  return threads;
}

int run_worker_program(int argc, char** argv) {
  // A plugin's process type names its plugin first, so that it is registered here too.
  int i = 1;
  for (; i + 1 < argc && std::string_view(argv[i]) == "--plugin"; i += 2) {
    PluginLoad load = load_plugin(argv[i + 1]);
    if (!load.ok()) {
      std::fprintf(stderr, "patchbay-worker: plugin '%s': %s\n", argv[i + 1], load.error.c_str());
      return 2;
    }
  }
  if (i >= argc) {
    std::fprintf(stderr,
                 "usage: patchbay-worker [--plugin LIB.so]... PROCESS-TYPE ARGS... (started by patchbay, not by people)\n");
    return 2;
  }
  const ProcessType* type = find_process_type(argv[i]);
  if (type == nullptr) {
    std::fprintf(stderr, "patchbay-worker: unknown process type '%s'\n", argv[i]);
    return 2;
  }
  return type->worker_main(std::vector<std::string>(argv + i + 1, argv + argc));
}

std::unique_ptr<Process> make_process(const Model& model, RunOptions options) {
  std::vector<Error> errors;
  Placement placement;
  const ProcessType* type = detail::place_model(model, placement, errors);
  if (!errors.empty()) throw ModelError(std::move(errors));
  return type->make(model, std::move(options));
}

RunReport run(const Model& model, RunOptions options) {
  return make_process(model, std::move(options))->run(model);
}

void keep_freed_memory() {
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

namespace {
std::string seconds(std::chrono::nanoseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", std::chrono::duration<double>(d).count());
  return buf;
}
}  // namespace

std::string format_summary(const RunReport& report) {
  std::size_t width = 9;
  for (const auto& c : report.components) width = std::max(width, c.name.size());
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-*s %12s %10s %10s %10s  %-9s %s\n", static_cast<int>(width), "component",
                "steps", "step s", "input s", "output s", "status", "left over");
  out += line;
  for (const auto& c : report.components) {
    std::vector<std::string> counts;
    for (const auto& [port, n] : c.left_over) counts.push_back(port + "=" + std::to_string(n));
    std::string left = detail::join(counts);
    std::snprintf(line, sizeof line, "%-*s %12llu %10s %10s %10s  %-9s %s\n", static_cast<int>(width),
                  c.name.c_str(), static_cast<unsigned long long>(c.steps), seconds(c.step_time).c_str(),
                  seconds(c.input_wait).c_str(), seconds(c.output_wait).c_str(),
                  std::string(to_string(c.status)).c_str(), left.c_str());
    std::string row = line;
    while (row.size() > 1 && row[row.size() - 2] == ' ') row.erase(row.size() - 2, 1);
    out += row;
  }
  std::snprintf(line, sizeof line, "%zu components, %llu steps, %llu values moved, %s s\n",
                report.components.size(), static_cast<unsigned long long>(report.total_steps()),
                static_cast<unsigned long long>(report.total_values()), seconds(report.elapsed).c_str());
  out += line;
  return out;
}

}  // namespace patchbay
