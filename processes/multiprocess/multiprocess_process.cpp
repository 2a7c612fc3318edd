// The `multiprocess` process type: components are placed on N worker processes on this
// host, each one the patchbay-worker program (worker.cpp). This process coordinates: it
// starts the workers, hands them the model, checks the graph from the ports each worker
// declares for the components it built (a component is built only where it runs), passes
// endpoints between them so every cross-process channel can connect, starts them
// together, gathers progress and reports, and stops everyone when one fails, dies or the
// user interrupts. No worker outlives the run: each is killed if this process dies
// (PR_SET_PDEATHSIG), and any left at the end is killed and reaped.
#include <dlfcn.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>

#include <zmq.hpp>

#include "control_messages.hpp"
#include "graph.hpp"
#include "replicas.hpp"
#include "mark_map.hpp"
#include "multiprocess_type.hpp"
#include "patchbay/backend/process_type.hpp"
#include "patchbay/model_yaml.hpp"
#include "patchbay/plugin.hpp"
#include "stop_relay.hpp"
#include "text_util.hpp"

namespace patchbay::detail {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kSetupTimeout = 60s;   // from start to every worker ready
constexpr auto kAbortGrace = 300ms;   // after a worker died, the others get this long to exit
// After a stop, a worker still running this long later waits for something that will not
// come: it is told to abort (and killed after kAbortGrace), so a run never hangs.
constexpr auto kStopGrace = 10s;
// Workers cannot tell a stall alone (values may be on their way from another process):
// the run has stalled when every worker reports no node active and no node run for this long.
constexpr auto kStallQuiet = 2s;

// The program to start as a worker: RunOptions, then $PATCHBAY_WORKER, then the
// patchbay-worker beside this library (LIBDIR/patchbay/patchbay-worker, installed or built).
std::string find_worker_executable(const RunOptions& options) {
  if (!options.worker_executable.empty()) return options.worker_executable;
  if (const char* env = std::getenv("PATCHBAY_WORKER"); env && *env) return env;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&run_worker_program), &info) && info.dli_fname) {
    auto candidate = std::filesystem::absolute(info.dli_fname).parent_path() / "patchbay" / "patchbay-worker";
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  throw std::runtime_error("cannot find the patchbay-worker program beside libpatchbay (set PATCHBAY_WORKER)");
}

struct Worker {
  int index = 0;
  pid_t pid = -1;
  bool alive = true;       // not yet reaped
  bool hello = false, declared = false, bound = false, ready = false;
  bool reported = false;
  RunReport report;
  Progress progress;
  bool idle = false;       // as of its last progress message
  std::uint64_t runs = 0;
  std::vector<std::string> waiting;
  std::vector<std::string> components;  // placed on it
};

// "components a, b" (or "no components"): what a worker held, for error messages.
std::string held_by(const Worker& w) {
  return w.components.empty() ? "no components" : "components " + join(w.components);
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char* name = sigabbrev_np(sig);
    return "was killed by signal " + std::to_string(sig) + (name ? std::string(" (SIG") + name + ")" : "");
  }
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

class MultiprocessRun {
 public:
  MultiprocessRun(const Model& model, const RunOptions& options, int threads)
      : model_(model),
        expanded_(has_replicas(model) ? std::optional(expand_replicas(model)) : std::nullopt),
        placed_(expanded_ ? *expanded_ : model_),
        options_(options),
        threads_(threads) {}

  ~MultiprocessRun() { kill_all(); }

  RunReport execute();

  // Any thread. Every stop from outside is an interruption (Ctrl-C).
  void request_stop(bool /*interrupted*/) { stop_requested_.store(true); }

 private:
  void start_workers(const std::string& exe, const std::string& endpoint);
  template <class M>
  void send(Worker& w, const M& message) {
    send_text(w, control::encode(message));
  }
  void send_text(Worker& w, const std::string& text);
  template <class M>
  void send_all(const M& message) {
    std::string text = control::encode(message);
    for (auto& w : workers_)
      if (w.alive) send_text(w, text);
  }
  void handle(Worker& w, const control::Received& m);
  void check_declared();
  void reap();
  void check_stall();
  void check_stop_grace();
  void fail(std::string error);  // first failure wins; stops the others
  void send_stop(bool interrupted);
  void send_abort();
  void kill_all();
  RunReport merge();

  const Model& model_;               // as given: sent to the workers, who rewrite it the same way
  std::optional<Model> expanded_;    // with its replicated components rewritten (replicas.hpp)
  const Model& placed_;              // what the placement and the graph index
  const RunOptions& options_;
  int threads_;
  Placement placement_;
  std::vector<control::Component> declared_;  // by worker, in the order they came
  // The model as the workers read it: marks in their errors point into this text.
  std::string sent_yaml_, sent_file_;
  std::optional<MarkMap> marks_;  // from places in that text to places in the file
  std::vector<Error> model_errors_;           // the graph did not check
  std::vector<Worker> workers_;
  std::unique_ptr<zmq::context_t> context_;
  std::unique_ptr<zmq::socket_t> router_;
  std::map<std::string, std::string> endpoints_;
  bool started_ = false;
  bool stop_sent_ = false;
  Clock::time_point stop_sent_at_;
  bool aborting_ = false;
  Clock::time_point abort_deadline_;
  std::string error_;
  std::atomic<bool> stop_requested_{false};
  Clock::time_point start_;
  std::optional<Clock::time_point> finished_;  // when the last report came
  bool stalled_ = false;
  std::uint64_t quiet_runs_ = 0;
  std::optional<Clock::time_point> quiet_since_;
};

void MultiprocessRun::start_workers(const std::string& exe, const std::string& endpoint) {
  pid_t parent = getpid();
  for (auto& w : workers_) {
    std::string index = std::to_string(w.index);
    std::vector<std::string> args = {exe, std::string(kMultiprocess), endpoint, index};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("cannot start a worker: ") + std::strerror(errno));
    if (pid == 0) {
      // The child: only async-signal-safe calls until exec. It dies with its parent, takes
      // Ctrl-C from the coordinator (not from the terminal) and starts unblocked.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(1);
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      signal(SIGINT, SIG_IGN);
      execv(argv[0], argv.data());
      _exit(127);
    }
    w.pid = pid;
  }
}

void MultiprocessRun::send_text(Worker& w, const std::string& text) {
  std::string id = "w" + std::to_string(w.index);
  router_->send(zmq::buffer(id), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
  router_->send(zmq::buffer(text), zmq::send_flags::dontwait);
}

void MultiprocessRun::fail(std::string error) {
  if (error_.empty()) error_ = std::move(error);
  send_stop(false);
}

void MultiprocessRun::send_stop(bool interrupted) {
  if (stop_sent_) return;
  stop_sent_ = true;
  stop_sent_at_ = Clock::now();
  send_all(control::Stop{interrupted});
}

void MultiprocessRun::send_abort() {
  if (aborting_) return;
  aborting_ = true;
  abort_deadline_ = Clock::now() + kAbortGrace;
  stop_sent_ = true;
  send_all(control::Abort{});
}

void MultiprocessRun::handle(Worker& w, const control::Received& m) {
  if (m.is<control::Hello>()) {
    w.hello = true;
    control::Setup setup;
    setup.model = sent_yaml_;
    setup.file = sent_file_;
    for (const auto& p : loaded_plugins())
      if (p.ok()) setup.plugins.push_back(p.path);
    setup.threads = threads_;
    for (const auto& c : model_.components())
      for (const auto& [arg, mark] : c.arg_marks)
        if (mark.on_command_line()) setup.set_args.emplace_back(c.name, arg);
    send(w, setup);
  } else if (m.is<control::Declared>()) {
    w.declared = true;
    for (auto& c : m.as<control::Declared>().components) declared_.push_back(std::move(c));
    check_declared();
  } else if (m.is<control::Bound>()) {
    w.bound = true;
    for (const auto& [edge, endpoint] : m.as<control::Bound>().endpoints) endpoints_[edge] = endpoint;
    bool all = true;
    for (const auto& x : workers_) all = all && x.bound;
    if (all) send_all(control::Connect{endpoints_});
  } else if (m.is<control::Ready>()) {
    w.ready = true;
    bool all = true;
    for (const auto& x : workers_) all = all && x.ready;
    if (all && !stop_sent_) {
      started_ = true;
      start_ = Clock::now();
      send_all(control::Start{});
    }
  } else if (m.is<control::Progress>()) {
    auto p = m.as<control::Progress>();
    w.progress.steps = p.steps;
    w.progress.values = p.values;
    w.progress.completed = p.completed;
    w.idle = p.idle;
    w.runs = p.runs;
    w.waiting = std::move(p.waiting);
  } else if (m.is<control::Report>()) {
    w.reported = true;
    w.report = m.as<control::Report>().report;
    bool all = true;
    for (const auto& x : workers_) all = all && x.reported;
    if (all) finished_ = Clock::now();  // the work is done; the workers now only exit
    if (!w.report.ok && !w.report.interrupted) fail(w.report.error);
  } else if (m.is<control::Failed>()) {
    w.reported = true;
    auto failed = m.as<control::Failed>();
    if (!failed.errors.empty()) {  // the model, as that worker checked it
      marks_->relocate(failed.errors);
      if (model_errors_.empty()) model_errors_ = std::move(failed.errors);
      send_stop(false);
    } else {
      fail(failed.error);
    }
  } else {
    throw std::runtime_error("unexpected message '" + m.type() + "'");
  }
}

// Once every worker has built its components, the whole graph is checked here from the
// ports they declared, as a local run checks it; if it holds, every worker is told every
// component's ports and builds the same graph.
void MultiprocessRun::check_declared() {
  for (const auto& x : workers_)
    if (!x.declared) return;
  auto by_index = control::by_model_index(declared_, placed_.components().size());
  std::vector<Error> errors;
  build_graph(placed_, errors, [&](std::size_t i, const ComponentSpec& spec) {
    if (by_index[i] == nullptr) {
      ComponentPart missing;
      missing.errors.push_back({spec.mark, "component '" + spec.name + "': no worker built it"});
      return missing;
    }
    ComponentPart part = control::to_part(*by_index[i], spec.name);
    marks_->relocate(part.errors);
    return part;
  });
  if (!errors.empty()) {
    model_errors_ = std::move(errors);
    send_stop(false);
    return;
  }
  send_all(control::Ports{declared_});
}

// Notices workers that exited. One that ends without its report died: everyone stops.
void MultiprocessRun::reap() {
  for (auto& w : workers_) {
    if (!w.alive) continue;
    int status = 0;
    pid_t r = waitpid(w.pid, &status, WNOHANG);
    if (r != w.pid) continue;
    w.alive = false;
    if (w.reported) continue;
    std::string message = "worker " + std::to_string(w.index) + " (pid " + std::to_string(w.pid) + ") " +
                          describe_exit(status) + "; it held " + held_by(w) +
                          (w.declared ? "" : " (it died before building them: the model is not checked yet)");
    if (error_.empty()) error_ = message;
    send_abort();
  }
}

void MultiprocessRun::check_stall() {
  if (!started_ || stop_sent_) return;
  bool idle = true;
  std::uint64_t runs = 0;
  std::vector<std::string> waiting;
  for (const auto& w : workers_) {
    if (w.reported) continue;  // finished: counts as quiet
    idle = idle && w.idle;
    runs += w.runs;
    for (const auto& name : w.waiting) waiting.push_back("'" + name + "'");
  }
  if (!idle || !quiet_since_ || runs != quiet_runs_) {
    quiet_since_ = idle ? std::optional(Clock::now()) : std::nullopt;
    quiet_runs_ = runs;
    return;
  }
  if (Clock::now() - *quiet_since_ < kStallQuiet) return;
  stalled_ = true;
  fail("no component can make progress: " + (waiting.empty() ? std::string("none is running") : join(waiting) + " wait") +
       " (nothing has moved in any worker for 2 s)");
}

void MultiprocessRun::check_stop_grace() {
  if (!stop_sent_ || aborting_ || Clock::now() - stop_sent_at_ <= kStopGrace) return;
  // One stuck worker keeps those waiting for its ends stuck too: name them all.
  std::vector<std::string> running;
  for (const auto& w : workers_)
    if (w.alive && !w.reported) running.push_back("worker " + std::to_string(w.index) + " (" + held_by(w) + ")");
  if (error_.empty())
    error_ = "still running " + std::to_string(std::chrono::seconds(kStopGrace).count()) +
             " s after the stop, so stopped by force: " + join(running, "; ");
  send_abort();
}

void MultiprocessRun::kill_all() {
  for (auto& w : workers_) {
    if (!w.alive || w.pid <= 0) continue;
    kill(w.pid, SIGKILL);
    int status = 0;
    waitpid(w.pid, &status, 0);
    w.alive = false;
  }
}

RunReport MultiprocessRun::execute() {
  std::vector<Error> errors;
  place_model(placed_, placement_, errors);
  if (!errors.empty()) throw ModelError(std::move(errors));
  RunReport failed;
  workers_.resize(static_cast<std::size_t>(placement_.places));
  for (std::size_t i = 0; i < workers_.size(); ++i) workers_[i].index = static_cast<int>(i);
  for (std::size_t i = 0; i < placed_.components().size(); ++i)
    if (!is_engine_part(placed_.components()[i]))
      workers_[static_cast<std::size_t>(placement_.place[i])].components.push_back(placed_.components()[i].name);

  Model copy = model_;
  copy.plugins().clear();  // sent as loaded, with absolute paths
  sent_yaml_ = to_yaml(copy);
  sent_file_ = model_.file().empty() ? std::string("<model>") : model_.file();
  marks_.emplace(read_model_string(sent_yaml_, sent_file_).model, model_);

  std::string endpoint;
  try {
    context_ = std::make_unique<zmq::context_t>(1);
    router_ = std::make_unique<zmq::socket_t>(*context_, zmq::socket_type::router);
    router_->set(zmq::sockopt::linger, 0);
    router_->set(zmq::sockopt::router_mandatory, 0);
    std::string path = (std::filesystem::temp_directory_path() /
                        ("patchbay-" + std::to_string(getpid()) + "-control-" + std::to_string(Clock::now().time_since_epoch().count())))
                           .string();
    router_->bind("ipc://" + path);
    endpoint = router_->get(zmq::sockopt::last_endpoint);
    start_workers(find_worker_executable(options_), endpoint);
  } catch (const std::exception& e) {
    failed.error = e.what();
    return failed;
  }

  auto setup_deadline = Clock::now() + kSetupTimeout;
  auto next_progress = Clock::now() + options_.progress_interval;
  for (;;) {
    bool any_alive = false;
    for (const auto& w : workers_) any_alive = any_alive || w.alive;
    if (!any_alive) break;
    if (stop_requested_.load()) send_stop(true);
    check_stop_grace();
    if (!started_ && !stop_sent_ && Clock::now() > setup_deadline) fail("the workers did not get ready within 60 s");
    if (!started_ && stop_sent_) kill_all();  // nothing has run yet: nothing to flush
    if (aborting_ && Clock::now() > abort_deadline_) kill_all();

    zmq::pollitem_t item{router_->handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, 20ms);
    zmq::message_t id, body;
    while (router_->recv(id, zmq::recv_flags::dontwait)) {
      if (!id.more() || !router_->recv(body, zmq::recv_flags::dontwait)) continue;
      std::string who = id.to_string();
      for (auto& w : workers_) {
        if ("w" + std::to_string(w.index) != who) continue;
        std::optional<control::Received> message;
        try {
          message = control::Received::parse(body.to_string_view());
        } catch (const std::exception& e) {
          fail("worker " + std::to_string(w.index) + " sent a message that cannot be read: " + e.what());
          continue;
        }
        try {
          handle(w, *message);
        } catch (const std::exception& e) {
          fail("while handling '" + message->type() + "' from worker " + std::to_string(w.index) + ": " + e.what());
        }
      }
    }
    reap();
    check_stall();
    if (started_ && options_.on_progress && Clock::now() >= next_progress) {
      next_progress = Clock::now() + options_.progress_interval;
      Progress p;
      p.elapsed = Clock::now() - start_;
      p.components = placed_.components().size();
      for (const auto& w : workers_) {
        p.steps += w.progress.steps;
        p.values += w.progress.values;
        p.completed += w.progress.completed;
      }
      options_.on_progress(p);
    }
  }
  if (!model_errors_.empty()) throw ModelError(std::move(model_errors_));
  return merge();
}

// One report in model order, as a local run would give.
RunReport MultiprocessRun::merge() {
  RunReport out;
  out.elapsed = started_ ? finished_.value_or(Clock::now()) - start_ : std::chrono::nanoseconds(0);
  std::map<std::string, const ComponentReport*> by_name;
  for (const auto& w : workers_)
    for (const auto& c : w.report.components) by_name[c.name] = &c;
  for (const auto& spec : placed_.components()) {
    if (is_engine_part(spec)) continue;
    if (auto it = by_name.find(spec.name); it != by_name.end()) {
      out.components.push_back(*it->second);
    } else {
      ComponentReport c;
      c.name = spec.name;
      c.type = spec.type;
      c.status = Status::stopped;
      out.components.push_back(c);
    }
  }
  for (const auto& w : workers_) {
    out.interrupted = out.interrupted || w.report.interrupted;
    out.stalled = out.stalled || w.report.stalled;
  }
  if (stop_requested_.load()) out.interrupted = true;
  out.stalled = out.stalled || stalled_;
  out.error = error_;
  if (out.error.empty() && out.interrupted) out.error = "interrupted";
  out.ok = out.error.empty();
  return out;
}

class MultiprocessProcess final : public Process {
 public:
  MultiprocessProcess(RunOptions options, int threads) : options_(std::move(options)), threads_(threads) {}

  RunReport run(const Model& model) override {
    MultiprocessRun run(model, options_, threads_);
    auto attached = stops_.attach(run);
    return run.execute();
  }

  void request_stop() override { stops_.request_stop(); }

 private:
  RunOptions options_;
  int threads_;
  StopRelay<MultiprocessRun> stops_;
};

class MultiprocessProcessType final : public ProcessType {
 public:
  std::string_view name() const override { return kMultiprocess; }
  std::string_view help() const override { return "worker processes on this host (`worker: K` places a component)"; }
  std::vector<ParamInfo> parameters() const override {
    return {{"workers", "int64", Value(2), false, "worker processes", {}, 1, 256},
            {"threads", "int64", Value(), false, "threads of each worker's pool (default: one per core)", {}, 1, 1024}};
  }

  // A component with `worker: K` runs on worker K; the others are dealt out in turn.
  Placement place(const Model& model, std::vector<Error>& errors) const override {
    Placement p;
    p.one_process = false;
    p.places = 2;
    for (const auto& [key, value] : model.process().args)
      if (key == "workers") p.places = static_cast<int>(value.as_int());
    int next = 0;
    for (const auto& spec : model.components()) {
      if (spec.worker) {
        if (*spec.worker < 0 || *spec.worker >= p.places)
          errors.push_back({spec.mark, "component '" + spec.name + "': worker " + std::to_string(*spec.worker) +
                                           " does not exist (workers are numbered 0 to " + std::to_string(p.places - 1) + ")"});
        p.place.push_back(std::clamp(*spec.worker, 0, p.places - 1));
      } else {
        p.place.push_back(next);
        next = (next + 1) % p.places;
      }
    }
    return p;
  }

  std::unique_ptr<Process> make(const Model& model, RunOptions options) const override {
    int threads = run_threads(model, options);
    return std::make_unique<MultiprocessProcess>(std::move(options), threads);
  }

  int worker_main(const std::vector<std::string>& args) const override { return run_multiprocess_worker(args); }
};

PATCHBAY_PROCESS_TYPE(MultiprocessProcessType);

}  // namespace
}  // namespace patchbay::detail
