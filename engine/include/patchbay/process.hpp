// Process: what runs a Model. The model's `process.type` names a registered process type
// (local, multiprocess, or one from a plugin: patchbay/backend/process_type.hpp) that
// makes it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "patchbay/component.hpp"
#include "patchbay/detail/export.hpp"
#include "patchbay/model.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

struct ComponentReport {
  std::string name;
  std::string type;
  Status status = Status::created;
  std::uint64_t steps = 0;
  std::uint64_t values_out = 0;
  std::chrono::nanoseconds step_time{0};
  std::chrono::nanoseconds input_wait{0};   // ready to work, waiting for inputs
  std::chrono::nanoseconds output_wait{0};  // waiting for room downstream
  // Input port -> values that reached it and were never consumed.
  std::vector<std::pair<std::string, std::uint64_t>> left_over;
  std::string error;  // set when the component failed
};

struct RunReport {
  bool ok = false;
  bool interrupted = false;  // stopped by request (Ctrl-C)
  bool stalled = false;      // no component could make progress
  std::string error;         // one line: what went wrong
  std::chrono::nanoseconds elapsed{0};
  std::vector<ComponentReport> components;
  std::uint64_t total_steps() const;
  std::uint64_t total_values() const;
  std::uint64_t total_left_over() const;
};

struct Progress {
  std::chrono::nanoseconds elapsed{0};
  std::uint64_t steps = 0;
  std::uint64_t values = 0;
  std::size_t completed = 0;
  std::size_t components = 0;
};

struct RunOptions {
  std::optional<int> threads;  // overrides process.args.threads
  // Called from the coordinating thread every progress_interval while the run goes on.
  std::function<void(const Progress&)> on_progress;
  std::chrono::milliseconds progress_interval{250};
  // Process types that start workers: the worker program ("": the $PATCHBAY_WORKER
  // variable, else the patchbay-worker installed or built beside this library).
  std::string worker_executable;
};

class Process {
 public:
  virtual ~Process() = default;
  // Runs to the end. Component failures are reported in the RunReport, never thrown.
  // Throws ModelError if the model does not check.
  virtual RunReport run(const Model& model) = 0;
  // Asks a run in progress to stop cleanly; safe from any thread.
  virtual void request_stop() = 0;
};

// The process the model asks for (model.process().type). Throws ModelError for an
// unknown or unavailable type.
std::unique_ptr<Process> make_process(const Model& model, RunOptions options = {});

// make_process(model, options)->run(model).
RunReport run(const Model& model, RunOptions options = {});

std::string format_summary(const RunReport& report);

}  // namespace patchbay
#pragma GCC visibility pop
