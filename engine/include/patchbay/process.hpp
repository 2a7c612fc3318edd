// Process: what runs a Model. `local` runs every component in this OS process on a fixed
// pool of threads; other process types (multiprocess, mpi) implement the same interface.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "patchbay/component.hpp"
#include "patchbay/model.hpp"

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
  // multiprocess: the program started as each worker, in worker mode ("": the
  // $PATCHBAY_WORKER variable, else the `patchbay` installed or built beside this library).
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

// Tells glibc's allocator to keep freed memory (up to 64 MB per arena) and to serve
// buffers below 32 MB from the heap. Values are often buffers made on one thread and
// freed on another; with the defaults each one's pages go back to the kernel and are
// faulted in again (64 KiB arrays ran 4x slower). Process-wide, so the library never
// calls it itself: the `patchbay` program does, at start; a program embedding the
// library may.
void keep_freed_memory();

// The body of `patchbay worker ENDPOINT INDEX`: a worker of a multiprocess run, started by
// the coordinator. Not for direct use. Returns the exit status.
int run_worker(const std::string& control_endpoint, int index);

}  // namespace patchbay
