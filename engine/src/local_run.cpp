// The local process. Each component is a task: it is scheduled when a channel event
// (a value arrived, room was freed, a close) may let it step, and runs steps until it
// must wait. A component never blocks a thread waiting for a channel; only a step that
// sleeps or does I/O holds one. When no component is scheduled or running and some have
// not finished, nothing can ever change: the run has stalled and says so.
#include "part_run.hpp"

#include <atomic>
#include <cassert>
#include <thread>

#include <time.h>

#include "component_access.hpp"
#include "graph.hpp"
#include "replicas.hpp"
#include "stop_state.hpp"
#include "text_util.hpp"
#include "thread_pool.hpp"

namespace patchbay::detail {

class LocalRun;

namespace {

using Clock = std::chrono::steady_clock;
// How often a run with channels that deliver from other threads looks for a stall.
constexpr auto kQuietLook = std::chrono::milliseconds(2);
// How long a stop after a failure lets values already sent reach their sinks.
constexpr auto kDrainLimit = std::chrono::seconds(2);

struct InputSlot {
  std::vector<Channel*> channels;
  // A reorderer's result input: read only from the channel of the copy that took the
  // next row (what its first input, ~order, holds).
  bool from_next_copy = false;
  std::size_t next = 0;  // round-robin start, so fan-in is fair
  std::deque<Payload> initial;
  Payload staged;  // received, waiting for the other inputs
};

struct OutputEdge {
  Channel* channel;
  const TypeInfo* convert_to;
  const std::string* label;
};

enum class Readiness { ready, waiting_input, waiting_output, exhausted, init_values };

class Node;

// The waker a channel calls to tell one end that the other made progress. The call comes
// from the thread running the other end's node, which holds it until the end of its
// slice: a consumer woken per value would take values one at a time, while a consumer
// woken when the producer yields or waits takes the whole batch. A node that waits for
// an answer ends its slice at once, so round trips do not wait either.
class DeferredWaker final : public Waker {
 public:
  DeferredWaker(Node* from, Node* to) : from_(from), to_(to) {}
  void wake() noexcept override;
  Node* target() const { return to_; }
  bool pending = false;

 private:
  Node* from_;
  Node* to_;
};

class Node final : public Task, public Waker {
 public:
  Node(LocalRun& run, GraphNode& g) : run_(run), spec_(*g.spec), component_(*g.component) {
    inputs_.resize(component_.inputs().size());
    for (std::size_t i = 0; i < inputs_.size(); ++i) inputs_[i].initial = std::move(g.initial_values[i]);
    // A copy of a replicated component has one more output: where it says it is free.
    outputs_.resize(component_.outputs().size() + (spec_.replica_of ? 1 : 0));
    if (is_reorderer(spec_))
      for (std::size_t i = 1; i < inputs_.size(); ++i) inputs_[i].from_next_copy = true;
  }

  void add_input(std::size_t port, Channel* c) { inputs_[port].channels.push_back(c); }
  void add_output(std::size_t port, OutputEdge e) { outputs_[port].push_back(e); }

  Component& component() { return component_; }
  const ComponentSpec& spec() const { return spec_; }
  Status status() const { return status_.load(std::memory_order_relaxed); }
  std::uint64_t steps() const { return steps_.load(std::memory_order_relaxed); }
  std::uint64_t values_out() const { return values_out_.load(std::memory_order_relaxed); }

  // Scheduling state. Only the thread that moved a node to kScheduled runs it.
  static constexpr int kIdle = 0, kScheduled = 1, kRunning = 2, kNotified = 3, kDone = 4;

  void wake() noexcept override;
  void run() override;
  // Ends a node whose run never started (an init() failed, or a stop came first).
  void finish_unstarted(Status s);
  // After init(): what it assigned to outputs goes out first, once there is room.
  void note_init_values() {
    for (auto* p : component_.outputs()) init_pending_ = init_pending_ || p->assigned();
  }
  void set_status(Status s) { status_.store(s); }

  // Wake-ups held back until this node's slice ends (see DeferredWaker).
  void defer(DeferredWaker* w) {
    if (!w->pending) {
      w->pending = true;
      deferred_.push_back(w);
    }
  }
  // Values a channel held back go out, then the wake-ups.
  void flush_wakes() {
    for (auto& edges : outputs_)
      for (auto& e : edges) e.channel->flush();
    for (DeferredWaker* w : deferred_) {
      w->pending = false;
      w->target()->wake();
    }
    deferred_.clear();
  }

  ComponentReport report() const;
  std::string waiting_for() const;

  std::string error;

 private:
  Readiness check();
  void end_slice(Readiness reason);  // accounts the time since the slice started
  bool step_once();  // false if the node finished
  bool send_init_values();  // false if the node failed
  void finish(Status s);
  void send_outputs();
  void send_ready();  // a copy of a replicated component tells its dispatcher it is free
  void mark_unassigned_outputs();

  LocalRun& run_;
  const ComponentSpec& spec_;
  Component& component_;
  std::vector<InputSlot> inputs_;
  std::vector<std::vector<OutputEdge>> outputs_;
  std::vector<DeferredWaker*> deferred_;
  bool init_pending_ = false;  // init() assigned outputs that are not sent yet

  // Scheduled until the run starts it: a wake-up from a channel's thread before then (a
  // value from another worker while this one is still in init()) is absorbed, and the
  // first run looks at every input anyway.
  std::atomic<int> state_{kScheduled};
  std::atomic<Status> status_{Status::created};
  std::atomic<std::uint64_t> steps_{0};
  std::atomic<std::uint64_t> values_out_{0};
  std::vector<std::uint64_t> left_in_node_;  // per input: staged or initial values never consumed
  Readiness idle_reason_ = Readiness::waiting_input;
  Clock::time_point idle_since_ = Clock::now();
  Clock::time_point slice_started_ = idle_since_;
  Clock::duration step_time_{0}, input_wait_{0}, output_wait_{0};
};

}  // namespace

using Clock = std::chrono::steady_clock;

class LocalRun {
 public:
  LocalRun(Graph& graph, std::vector<bool> here, std::vector<Channel*> channels, RunOptions options, int threads)
      : options_(std::move(options)), threads_(threads), graph_(graph), here_(std::move(here)), channels_(std::move(channels)) {}

  RunReport execute();
  void request_stop(bool interrupted);
  PartRun::Activity activity() const {
    PartRun::Activity a;
    a.idle = active_.load() == 0;
    a.runs = runs_.load();
    for (const auto& node : nodes_)
      if (node->status() == Status::waiting) a.waiting.push_back(node->spec().name);
    return a;
  }

  ThreadPool& pool() { return *pool_; }
  bool stopping() const { return stop_.requested(); }
  // A stop after a failure first drains: sources stop at once, and the others take what
  // is already on its way to them (so sinks keep everything made before the failure),
  // for kDrainLimit at most. Ctrl-C, a stall or an abort stop everything at once.
  bool draining() const { return !hard_stop_.load(); }

  void on_scheduled() { active_.fetch_add(1); }
  // With channels that deliver from other threads, a run often has no node active for a
  // moment (each waits for an answer from another process): the run loop looks for a
  // stall on a timer then, rather than being woken on every round trip.
  void on_idle() {
    if (active_.fetch_sub(1) == 1 && !has_async_) notify();
  }
  void on_done(Node& node, Status s) {
    if (s == Status::failed) {
      {
        std::lock_guard lock(mutex_);
        if (first_error_.empty()) first_error_ = node.error;
      }
      stop_requested_.store(true);
    }
    done_.fetch_add(1);
    on_idle();
    notify();
  }

 private:
  void notify() {
    std::lock_guard lock(mutex_);
    cv_.notify_all();
  }

  void wait_for_remote_producers();
  // With channels that deliver from their own threads, no node being active is not yet a
  // stall: it is one when nothing is in flight and no node ran across a few looks.
  bool quiet_for_good() {
    if (!has_async_) return true;
    if (active_.load() != 0) {  // woken since the caller looked
      quiet_looks_ = 0;
      return false;
    }
    for (Channel* c : channels_)
      if (c && c->in_flight()) {
        quiet_looks_ = 0;
        return false;
      }
    std::uint64_t runs = runs_.load();
    if (runs != runs_seen_) {
      runs_seen_ = runs;
      quiet_looks_ = 0;
      return false;
    }
    return ++quiet_looks_ >= 3;
  }
 public:
  std::atomic<std::uint64_t> runs_{0};  // node runs started, for quiet_for_good()
 private:
  bool has_async_ = false;
  std::uint64_t runs_seen_ = 0;
  int quiet_looks_ = 0;

  RunOptions options_;
  int threads_;
  StopState stop_;  // the graph's components may look at it until they are destroyed
  Graph& graph_;
  std::vector<bool> here_;         // by graph node: runs in this process
  std::vector<Channel*> channels_;  // by graph edge; null when neither end is here
  std::vector<std::unique_ptr<DeferredWaker>> wakers_;
  std::vector<std::unique_ptr<Node>> nodes_;  // the nodes here, in model order
  std::vector<Node*> node_of_;                // by graph node; null when elsewhere
  std::unique_ptr<ThreadPool> pool_;
  std::atomic<std::size_t> active_{0};
  std::atomic<std::size_t> done_{0};
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> interrupted_{false};
 public:
  std::atomic<bool> abandon_{false};  // stop waiting for other processes
  std::atomic<bool> hard_stop_{false};  // no draining (see draining())
 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::string first_error_;
};

namespace {

// --- Node -------------------------------------------------------------------------------

void DeferredWaker::wake() noexcept { from_->defer(this); }

// The node this thread is running, so a step that is about to block can hand on the
// wake-ups it holds first.
thread_local Node* tl_running = nullptr;

struct RunningScope {
  explicit RunningScope(Node* n) { tl_running = n; }
  ~RunningScope() { tl_running = nullptr; }
};

void Node::wake() noexcept {
  int s = state_.load();
  for (;;) {
    if (s == kIdle) {
      if (state_.compare_exchange_weak(s, kScheduled)) {
        run_.on_scheduled();
        run_.pool().submit(this);
        return;
      }
    } else if (s == kRunning) {
      if (state_.compare_exchange_weak(s, kNotified)) return;
    } else if (s == kDone) {
      return;
    } else {
      // Already scheduled or told. Still a read-modify-write, so that the run that follows
      // (which exchanges the state) sees what the caller did before waking: a stop, a detach.
      if (state_.compare_exchange_weak(s, s)) return;
    }
  }
}

namespace {
// A cheap clock (a few ns, a few ms of resolution) for time slices; the precise clock
// costs too much to read on every step.
std::int64_t coarse_now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}
}  // namespace

void Node::run() {
  RunningScope running(this);
  run_.runs_.fetch_add(1, std::memory_order_relaxed);
  state_.exchange(kRunning);
  slice_started_ = Clock::now();
  (idle_reason_ == Readiness::waiting_output ? output_wait_ : input_wait_) += slice_started_ - idle_since_;
  status_.store(Status::running, std::memory_order_relaxed);
  // A time slice: after about this much work, or this many steps, the node yields its
  // thread so that other ready components get a turn.
  const std::int64_t slice_end = coarse_now_ns() + 2000000;
  int budget = 1024;
  for (;;) {
    if (run_.stopping() && (!run_.draining() || inputs_.empty())) return finish(Status::stopped);
    if (ComponentAccess::closed(component_) && !init_pending_) return finish(Status::completed);
    Readiness r = check();
    if (r == Readiness::exhausted) return finish(Status::completed);
    if (r == Readiness::ready) {
      if (--budget == 0 || coarse_now_ns() > slice_end) {
        end_slice(Readiness::waiting_input);  // queued behind others; counts as waiting
        flush_wakes();
        state_.store(kScheduled);
        run_.pool().submit(this);
        return;
      }
      if (!step_once()) return;
      state_.exchange(kRunning);  // anything that woke us during the step is seen by the next check
      continue;
    }
    if (r == Readiness::init_values) {
      if (!send_init_values()) return;
      continue;
    }
    end_slice(r);
    flush_wakes();  // before going idle, so the run never looks stalled while they wait
    status_.store(Status::waiting, std::memory_order_relaxed);
    int expected = kRunning;
    if (state_.compare_exchange_strong(expected, kIdle)) {
      run_.on_idle();
      return;
    }
    // Woken while checking: look again.
    state_.exchange(kRunning);
    status_.store(Status::running, std::memory_order_relaxed);
    slice_started_ = idle_since_;
  }
}

void Node::end_slice(Readiness reason) {
  idle_reason_ = reason;
  idle_since_ = Clock::now();
  step_time_ += idle_since_ - slice_started_;
}

Readiness Node::check() {
  if (init_pending_) {
    for (const auto& edges : outputs_)
      for (const auto& e : edges)
        if (!e.channel->has_space()) return Readiness::waiting_output;
    return Readiness::init_values;
  }
  for (auto& in : inputs_) {
    if (!in.staged.empty()) continue;
    if (!in.initial.empty()) {
      in.staged = std::move(in.initial.front());
      in.initial.pop_front();
      continue;
    }
    std::size_t n = in.channels.size(), closed = 0;
    if (n == 0) continue;  // an optional input left unconnected: never waited for
    if (in.from_next_copy) {
      const std::int64_t copy = inputs_.front().staged.get<std::int64_t>();
      if (copy < 0 || static_cast<std::size_t>(copy) >= n) return Readiness::exhausted;  // cannot happen
      ChannelOp op = in.channels[static_cast<std::size_t>(copy)]->try_receive(in.staged);
      if (op == ChannelOp::ok) continue;
      return op == ChannelOp::closed ? Readiness::exhausted : Readiness::waiting_input;
    }
    for (std::size_t k = 0; k < n; ++k) {
      std::size_t i = (in.next + k) % n;
      ChannelOp op = in.channels[i]->try_receive(in.staged);
      if (op == ChannelOp::ok) {
        in.next = (i + 1) % n;
        break;
      }
      if (op == ChannelOp::closed) ++closed;
    }
    if (in.staged.empty()) return closed == n ? Readiness::exhausted : Readiness::waiting_input;
  }
  for (const auto& edges : outputs_)
    for (const auto& e : edges)
      if (!e.channel->has_space()) return Readiness::waiting_output;
  return Readiness::ready;
}

bool Node::step_once() {
  const auto& ports = component_.inputs();
  for (std::size_t i = 0; i < inputs_.size(); ++i) ComponentAccess::current(*ports[i]) = std::move(inputs_[i].staged);
  // Only this node's current thread writes the counter; others only read it.
  std::uint64_t step = steps_.load(std::memory_order_relaxed) + 1;
  steps_.store(step, std::memory_order_relaxed);
  try {
    component_.step();
    if (spec_.replica_of && spec_.replica_of->ordered) mark_unassigned_outputs();
    send_outputs();
    // A copy that closed takes no more rows: it does not say it is free.
    if (spec_.replica_of && !ComponentAccess::closed(component_)) send_ready();
  } catch (const std::exception& e) {
    error = "component '" + spec_.name + "' failed at step " + std::to_string(step) + ": " + e.what();
    finish(Status::failed);
    return false;
  } catch (...) {
    error = "component '" + spec_.name + "' failed at step " + std::to_string(step) + ": unknown exception";
    finish(Status::failed);
    return false;
  }
  for (auto* p : ports) ComponentAccess::current(*p).reset();
  if (ComponentAccess::closed(component_)) {
    finish(Status::completed);
    return false;
  }
  return true;
}

bool Node::send_init_values() {
  init_pending_ = false;
  try {
    send_outputs();
  } catch (const std::exception& e) {
    error = "component '" + spec_.name + "' failed sending the values init() assigned: " + e.what();
    finish(Status::failed);
    return false;
  }
  return true;
}

void Node::send_outputs() {
  const auto& ports = component_.outputs();
  for (std::size_t o = 0; o < ports.size(); ++o) {
    Payload& pending = ComponentAccess::pending(*ports[o]);
    if (pending.empty()) continue;
    auto& edges = outputs_[o];
    for (std::size_t k = 0; k < edges.size(); ++k) {
      const OutputEdge& e = edges[k];
      Payload value;
      if (e.convert_to) {
        try {
          value = convert_payload(pending, *e.convert_to);
        } catch (const std::invalid_argument& ex) {
          throw std::runtime_error("connector " + *e.label + ": " + ex.what());
        }
      } else {
        value = (k + 1 == edges.size()) ? std::move(pending) : pending;  // shared, not copied
      }
      // Room was checked before the step and only this node sends here, so this holds.
      [[maybe_unused]] ChannelOp op = e.channel->try_send(value);
      assert(op == ChannelOp::ok);
      values_out_.store(values_out_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }
    pending.reset();
  }
}

// A copy of an ordered group sends every output each step, so that its reorderer sees
// one result per row; NoValue stands for what the step left unassigned.
void Node::mark_unassigned_outputs() {
  for (auto* port : component_.outputs()) {
    Payload& pending = ComponentAccess::pending(*port);
    if (pending.empty()) pending = no_value();
  }
}

void Node::send_ready() {
  for (const OutputEdge& e : outputs_.back()) {
    Payload token = Payload::make<std::int64_t>(spec_.replica_of->index);
    [[maybe_unused]] ChannelOp op = e.channel->try_send(token);  // room checked before the step
    assert(op == ChannelOp::ok);
  }
}

void Node::finish(Status s) {
  end_slice(idle_reason_);
  left_in_node_.assign(inputs_.size(), 0);
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    auto& in = inputs_[i];
    left_in_node_[i] = in.initial.size() + (in.staged.empty() ? 0 : 1);
    in.initial.clear();
    in.staged.reset();
    for (Channel* c : in.channels) c->detach();
  }
  for (auto* p : component_.outputs()) ComponentAccess::pending(*p).reset();
  try {
    component_.stop();
  } catch (const std::exception& e) {
    if (s != Status::failed) {
      error = "component '" + spec_.name + "' failed in stop(): " + e.what();
      s = Status::failed;
    }
  } catch (...) {
    if (s != Status::failed) {
      error = "component '" + spec_.name + "' failed in stop(): unknown exception";
      s = Status::failed;
    }
  }
  for (auto& edges : outputs_)
    for (auto& e : edges) e.channel->close();
  flush_wakes();
  status_.store(s);
  state_.store(kDone);
  run_.on_done(*this, s);
}

void Node::finish_unstarted(Status s) {
  // Ends seen from elsewhere (another worker) must learn that this node will not run.
  for (auto& in : inputs_)
    for (Channel* c : in.channels) c->detach();
  for (auto& edges : outputs_)
    for (auto& e : edges) e.channel->close();
  status_.store(s);
  state_.store(kDone);
}

std::string Node::waiting_for() const {
  const auto& ins = component_.inputs();
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < inputs_.size(); ++i)
    if (inputs_[i].staged.empty()) missing.push_back(ins[i]->name());
  std::string who = "'" + spec_.name + "'";
  if (idle_reason_ == Readiness::waiting_output) return who + " waits for room downstream";
  if (missing.size() == 1 && missing.front() == kReadyPort) return who + " waits for a free replica";
  if (is_reorderer(spec_)) return who + " waits for the result of the next row";
  std::erase(missing, std::string(kReadyPort));
  return who + " waits for input " + join(missing);
}

ComponentReport Node::report() const {
  ComponentReport r;
  r.name = spec_.name;
  r.type = spec_.type;
  r.status = status();
  r.steps = steps();
  r.values_out = values_out();
  r.step_time = std::chrono::duration_cast<std::chrono::nanoseconds>(step_time_);
  r.input_wait = std::chrono::duration_cast<std::chrono::nanoseconds>(input_wait_);
  r.output_wait = std::chrono::duration_cast<std::chrono::nanoseconds>(output_wait_);
  r.error = error;
  const auto& ins = component_.inputs();
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    std::uint64_t n = i < left_in_node_.size() ? left_in_node_[i] : 0;
    for (Channel* c : inputs_[i].channels) n += c->left_over();
    if (n) r.left_over.emplace_back(ins[i]->name(), n);
  }
  return r;
}

}  // namespace

// --- LocalRun ---------------------------------------------------------------------------

void LocalRun::request_stop(bool interrupted) {
  if (interrupted) {
    interrupted_.store(true);
    hard_stop_.store(true);
  }
  stop_requested_.store(true);
  stop_.request();  // wakes steps (and init()) sleeping in sleep_for
  notify();
}

// Values sent from other processes keep arriving after the nodes here finished (they are
// counted as left over); the counts are final once every such producer has closed.
void LocalRun::wait_for_remote_producers() {
  for (std::size_t i = 0; i < graph_.edges.size(); ++i) {
    const GraphEdge& e = graph_.edges[i];
    if (!channels_[i] || !here_[e.target_node] || here_[e.source_node]) continue;
    while (!channels_[i]->producer_finished() && !abandon_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

RunReport LocalRun::execute() {
  auto start = Clock::now();
  node_of_.assign(graph_.nodes.size(), nullptr);
  for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
    if (!here_[i]) continue;
    GraphNode& g = graph_.nodes[i];
    nodes_.push_back(std::make_unique<Node>(*this, g));
    node_of_[i] = nodes_.back().get();
    ComponentAccess::set_stop_state(*g.component, &stop_);
  }
  for (std::size_t i = 0; i < graph_.edges.size(); ++i) {
    const GraphEdge& e = graph_.edges[i];
    Channel* c = channels_[i];
    if (c == nullptr) continue;
    Node* producer = node_of_[e.source_node];
    Node* consumer = node_of_[e.target_node];
    if (c->wakes_from_other_threads()) {
      has_async_ = true;
      // Woken from the backend's thread: the nodes themselves, which any thread may wake.
      c->set_wakers(consumer, producer);
    } else {
      assert(producer && consumer);
      wakers_.push_back(std::make_unique<DeferredWaker>(producer, consumer));
      Waker* wake_consumer = wakers_.back().get();
      wakers_.push_back(std::make_unique<DeferredWaker>(consumer, producer));
      c->set_wakers(wake_consumer, wakers_.back().get());
    }
    if (consumer) consumer->add_input(e.target_port, c);
    if (producer) producer->add_output(e.source_port, {c, e.convert_to, &e.placement.connector});
  }

  RunReport report;
  // init() in model order; a failure stops the run before anything steps.
  std::size_t initialised = 0;
  for (auto& node : nodes_) {
    try {
      node->set_status(Status::init);
      node->component().init();
      node->note_init_values();
      node->set_status(Status::waiting);
      ++initialised;
    } catch (const std::exception& e) {
      node->error = "component '" + node->spec().name + "' failed in init(): " + e.what();
      break;
    } catch (...) {
      node->error = "component '" + node->spec().name + "' failed in init(): unknown exception";
      break;
    }
    if (stop_requested_.load()) break;  // Ctrl-C while initialising
  }
  if (initialised < nodes_.size()) {
    // An init() failed, or a stop came while initialising: nothing steps.
    bool failed = !nodes_[initialised]->error.empty();
    report.error = failed ? nodes_[initialised]->error : "interrupted";
    report.interrupted = !failed;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      if (i < initialised) {
        try {
          nodes_[i]->component().stop();
        } catch (...) {
          // Already failing: the first error is the one reported.
        }
      }
      nodes_[i]->finish_unstarted(failed && i == initialised ? Status::failed : Status::stopped);
      if (!is_engine_part(nodes_[i]->spec())) report.components.push_back(nodes_[i]->report());
    }
    report.elapsed = Clock::now() - start;
    return report;
  }

  bool stalled = false;
  std::string stall_message;
  {
    // A node runs on one thread at a time: more threads than nodes would only idle.
    int threads = std::max(1, std::min(threads_, static_cast<int>(nodes_.size())));
    // The I/O of channels with their own threads is done by this pool's idle threads.
    IdleWork* idle_work = nullptr;
    for (Channel* c : channels_)
      if (c && (idle_work = c->idle_work())) break;
    pool_ = std::make_unique<ThreadPool>(threads, /*spin=*/!has_async_, idle_work);
    stop_.set_pool(pool_.get());
    active_.store(nodes_.size());
    for (auto& node : nodes_) pool_->submit(node.get());

    bool stop_sent = false;
    Clock::time_point drain_end;
    auto next_progress = Clock::now() + options_.progress_interval;
    std::unique_lock lock(mutex_);
    while (done_.load() < nodes_.size()) {
      if (stop_requested_.load() && !stop_sent) {
        stop_sent = true;
        drain_end = Clock::now() + kDrainLimit;
        lock.unlock();
        stop_.request();
        for (auto& node : nodes_) node->wake();
        lock.lock();
        continue;
      }
      if (stop_sent && draining() && Clock::now() >= drain_end) {
        hard_stop_.store(true);  // what has not drained by now (a loop, a long step) stops
        lock.unlock();
        for (auto& node : nodes_) node->wake();
        lock.lock();
        continue;
      }
      // A finishing node counts itself done before it stops counting as active, so done_
      // must be read again after active_ is seen at zero. Read both once: a node that was
      // running at the first look may have gone idle by a second one.
      if (!stop_sent && active_.load() == 0 && done_.load() < nodes_.size()) {
        if (!quiet_for_good()) {
          // Something is on its way through a channel with its own thread: look again soon.
          cv_.wait_for(lock, kQuietLook);
          continue;
        }
        // Nothing is scheduled or running, so nothing can ever wake anyone: a stall.
        stalled = true;
        std::vector<std::string> waiting;
        for (auto& node : nodes_) {
          Status s = node->status();
          if (s == Status::completed || s == Status::failed || s == Status::stopped) continue;
          waiting.push_back(node->waiting_for());
        }
        stall_message = "no component can make progress: " + join(waiting, "; ");
        hard_stop_.store(true);
        stop_requested_.store(true);
        continue;
      }
      auto until = has_async_ ? std::min(next_progress, Clock::now() + kQuietLook) : next_progress;
      if (stop_sent && draining()) until = std::min(until, drain_end);
      cv_.wait_until(lock, until, [&] {
        return done_.load() == nodes_.size() || (!stop_sent && (active_.load() == 0 || stop_requested_.load()));
      });
      if (Clock::now() >= next_progress) {
        next_progress = Clock::now() + options_.progress_interval;
        if (options_.on_progress) {
          Progress p;
          p.elapsed = Clock::now() - start;
          p.components = nodes_.size();
          p.completed = done_.load();
          for (auto& node : nodes_) {
            p.steps += node->steps();
            p.values += node->values_out();
          }
          lock.unlock();
          options_.on_progress(p);
          lock.lock();
        }
      }
    }
    lock.unlock();
    // Channels with their own threads wake nodes from there: no more of that from now on.
    for (Channel* c : channels_)
      if (c && c->wakes_from_other_threads()) c->set_wakers(nullptr, nullptr);
    stop_.set_pool(nullptr);
    pool_.reset();  // joins the threads
  }
  wait_for_remote_producers();

  report.elapsed = Clock::now() - start;
  // A dispatcher or reorderer is the engine's, not the model's: its work shows in the copies.
  for (auto& node : nodes_)
    if (!is_engine_part(node->spec())) report.components.push_back(node->report());
  report.stalled = stalled;
  report.interrupted = interrupted_.load();
  if (!first_error_.empty()) report.error = first_error_;
  else if (stalled) report.error = stall_message;
  else if (report.interrupted) report.error = "interrupted";
  report.ok = report.error.empty();
  return report;
}

PartRun::PartRun(Graph& graph, std::vector<bool> here, std::vector<Channel*> channels, RunOptions options, int threads)
    : run_(std::make_unique<LocalRun>(graph, std::move(here), std::move(channels), std::move(options), threads)) {}
PartRun::~PartRun() = default;
RunReport PartRun::execute() { return run_->execute(); }
void PartRun::request_stop(bool interrupted) { run_->request_stop(interrupted); }
PartRun::Activity PartRun::activity() const { return run_->activity(); }
void PartRun::abandon() {
  run_->abandon_.store(true);
  run_->hard_stop_.store(true);
  run_->request_stop(false);
}

bool flush_before_blocking() {
  if (tl_running == nullptr) return false;
  tl_running->flush_wakes();
  return true;
}

}  // namespace patchbay::detail
