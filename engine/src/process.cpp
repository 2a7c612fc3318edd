#include "patchbay/process.hpp"

#include <malloc.h>

#include <cstdio>

#include "local_process.hpp"
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

std::unique_ptr<Process> make_process(const Model& model, RunOptions options) {
  const ProcessSpec& spec = model.process();
  if (spec.type == "local") return detail::make_local_process(model, std::move(options));
  if (spec.type == "multiprocess") return detail::make_multiprocess_process(model, std::move(options));
  if (spec.type == "mpi")
    throw ModelError({{spec.mark, "process type 'mpi' is not available in this build yet (use local or multiprocess)"}});
  throw ModelError({{spec.mark, "unknown process type '" + spec.type + "' (expected local, multiprocess or mpi)"}});
}

void keep_freed_memory() {
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

RunReport run(const Model& model, RunOptions options) {
  return make_process(model, std::move(options))->run(model);
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
