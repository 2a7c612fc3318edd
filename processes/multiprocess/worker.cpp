// A worker of a multiprocess run: the patchbay-worker program, started as
// `patchbay-worker multiprocess ENDPOINT INDEX` by the coordinator. It loads the same
// model and plugins, builds the components placed on it (and only those), learns the
// others' ports from the coordinator, runs its part (a PartRun) and talks to the
// coordinator over one DEALER socket (control_messages.hpp for the conversation).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <zmq.hpp>

#include "control_messages.hpp"
#include "graph.hpp"
#include "replicas.hpp"
#include "multiprocess_type.hpp"
#include "part_run.hpp"
#include "patchbay/backend/channel.hpp"
#include "patchbay/memory.hpp"
#include "patchbay/model_yaml.hpp"
#include "patchbay/plugin.hpp"
#include "text_util.hpp"

namespace patchbay::detail {

namespace {

constexpr auto kSetupWait = std::chrono::milliseconds(60000);

class Link {
 public:
  Link(zmq::context_t& context, const std::string& endpoint, int index)
      : socket_(context, zmq::socket_type::dealer),
        poke_in_(context, zmq::socket_type::pair),
        poke_out_(context, zmq::socket_type::pair) {
    socket_.set(zmq::sockopt::routing_id, "w" + std::to_string(index));
    socket_.set(zmq::sockopt::linger, 2000);  // the last report must reach the coordinator
    socket_.connect(endpoint);
    const std::string poke = "inproc://patchbay-worker-poke";
    poke_in_.bind(poke);
    poke_out_.connect(poke);
  }
  template <class M>
  void send(const M& message) {
    std::string text = control::encode(message);
    socket_.send(zmq::buffer(text), zmq::send_flags::none);
  }
  // The next message, or none after `timeout` or once another thread called interrupt().
  std::optional<control::Received> receive(std::chrono::milliseconds timeout) {
    zmq::pollitem_t items[] = {{socket_.handle(), 0, ZMQ_POLLIN, 0}, {poke_in_.handle(), 0, ZMQ_POLLIN, 0}};
    if (zmq::poll(items, 2, timeout) == 0) return std::nullopt;
    zmq::message_t m;
    if (items[1].revents & ZMQ_POLLIN) {
      (void)poke_in_.recv(m, zmq::recv_flags::dontwait);
      return std::nullopt;
    }
    if (!socket_.recv(m, zmq::recv_flags::dontwait)) return std::nullopt;
    return control::Received::parse(m.to_string_view());
  }
  // Cuts short a receive() on another thread (the only call allowed across threads).
  void interrupt() { poke_out_.send(zmq::const_buffer("", 0), zmq::send_flags::dontwait); }
  template <class M>
  M expect() {
    for (;;) {
      auto m = receive(kSetupWait);
      if (!m) throw std::runtime_error("no '" + std::string(M::kType) + "' from the coordinator within 60 s");
      if (m->is<control::Abort>() || m->is<control::Stop>()) throw std::runtime_error("told to stop before the run");
      if (m->is<M>()) return m->as<M>();
    }
  }

 private:
  zmq::socket_t socket_;
  zmq::socket_t poke_in_, poke_out_;
};

struct WorkerRun {
  int index;
  Model model;
  Placement placement;
  std::vector<ComponentPart> built;  // by model index: the components placed here
  Graph graph;
  std::vector<bool> here;
  std::vector<std::unique_ptr<Channel>> channels;  // by edge

  // Builds the components placed here, once, and says what they are.
  control::Declared build_here() {
    control::Declared declared;
    std::set<std::string> names;
    built.resize(model.components().size());
    for (std::size_t i = 0; i < model.components().size(); ++i) {
      const ComponentSpec& spec = model.components()[i];
      if (placement.place[i] != index || spec.name.empty() || !names.insert(spec.name).second) continue;
      built[i] = build_component(spec);
      declared.components.push_back(control::declare(i, built[i]));
    }
    return declared;
  }

  // The graph from the components built here and the others' declarations.
  void build_graph(const control::Ports& ports) {
    auto by_index = control::by_model_index(ports.components, model.components().size());
    std::vector<Error> errors;
    graph = detail::build_graph(model, errors, [&](std::size_t i, const ComponentSpec& spec) {
      if (placement.place[i] == index) return std::move(built[i]);
      if (by_index[i] == nullptr) throw std::runtime_error("no ports for component '" + spec.name + "'");
      return control::to_part(*by_index[i], spec.name);
    });
    if (!errors.empty()) throw ModelError(std::move(errors));
    for (const auto& node : graph.nodes) here.push_back(node.place == index);
    channels.resize(graph.edges.size());
  }

  static std::unique_ptr<Channel> open(const GraphEdge& e, const EdgePlacement& edge) {
    try {
      return e.backend->open(e.channel, edge);
    } catch (const std::exception& ex) {
      throw std::runtime_error(about_connector(e.placement.connector, ex.what()));
    }
  }

  // Receiving ends first (they bind), so that sending ends elsewhere can connect.
  std::map<std::string, std::string> open_receivers() {
    std::map<std::string, std::string> endpoints;
    for (std::size_t i = 0; i < graph.edges.size(); ++i) {
      const auto& e = graph.edges[i];
      bool from_here = here[e.source_node], to_here = here[e.target_node];
      if (!to_here) continue;
      EdgePlacement edge = e.placement;
      edge.ends = from_here ? EdgePlacement::Ends::both : EdgePlacement::Ends::receive;
      channels[i] = open(e, edge);
      if (!from_here) endpoints[std::to_string(i)] = channels[i]->endpoint();
    }
    return endpoints;
  }

  void open_senders(const std::map<std::string, std::string>& endpoints) {
    for (std::size_t i = 0; i < graph.edges.size(); ++i) {
      const auto& e = graph.edges[i];
      if (!here[e.source_node] || here[e.target_node]) continue;
      EdgePlacement edge = e.placement;
      edge.ends = EdgePlacement::Ends::send;
      auto it = endpoints.find(std::to_string(i));
      if (it == endpoints.end()) throw std::runtime_error("no endpoint for connector " + e.placement.connector);
      edge.endpoint = it->second;
      channels[i] = open(e, edge);
    }
  }
};

int run_worker(const std::string& control_endpoint, int index) {
  zmq::context_t context(1);
  Link link(context, control_endpoint, index);
  link.send(control::Hello{static_cast<std::int64_t>(getpid())});
  WorkerRun w;
  w.index = index;
  std::unique_ptr<PartRun> part;
  int threads = 1;
  try {
    auto setup = link.expect<control::Setup>();
    for (const auto& p : setup.plugins) {
      PluginLoad load = load_plugin(p);
      if (!load.ok()) throw std::runtime_error("plugin '" + load.path + "': " + load.error);
    }
    LoadResult read = read_model_string(setup.model, setup.file);
    if (!read.ok()) throw std::runtime_error("the model did not load: " + read.errors.front().str());
    w.model = std::move(read.model);
    for (const auto& [component, arg] : setup.set_args)
      if (ComponentSpec* c = w.model.find(component)) c->arg_marks[arg] = SourceMark::command_line(component + "." + arg);
    // As the coordinator rewrote it: the same components at the same indices.
    if (has_replicas(w.model)) w.model = expand_replicas(w.model);
    std::vector<Error> errors;
    place_model(w.model, w.placement, errors);
    if (!errors.empty()) throw ModelError(std::move(errors));
    threads = setup.threads;
    link.send(w.build_here());
    w.build_graph(link.expect<control::Ports>());
    link.send(control::Bound{w.open_receivers()});
    w.open_senders(link.expect<control::Connect>().endpoints);
    link.send(control::Ready{});
    link.expect<control::Start>();
  } catch (const ModelError& e) {  // the coordinator locates them in the user's file
    link.send(control::Failed{"worker " + std::to_string(index) + ": the model did not check", e.errors()});
    return 1;
  } catch (const std::exception& e) {
    link.send(control::Failed{"worker " + std::to_string(index) + ": " + e.what(), {}});
    return 1;
  }

  std::vector<Channel*> raw;
  for (auto& c : w.channels) raw.push_back(c.get());
  std::mutex progress_mutex;
  Progress progress;
  RunOptions options;
  options.on_progress = [&](const Progress& p) {
    std::lock_guard lock(progress_mutex);
    progress = p;
  };
  part = std::make_unique<PartRun>(w.graph, w.here, raw, options, threads);

  // The control thread owns the link while the run goes on: progress out, stops in.
  std::atomic<bool> finished{false};
  std::thread control([&] {
    auto next_progress = std::chrono::steady_clock::now();
    while (!finished.load()) {
      std::optional<control::Received> m;
      try {
        m = link.receive(std::chrono::milliseconds(50));
      } catch (const std::exception&) {
        part->abandon();  // the coordinator speaks no more sense: nothing it says can be trusted
      }
      if (m && m->is<control::Stop>()) part->request_stop(m->as<control::Stop>().interrupted);
      else if (m && m->is<control::Abort>()) part->abandon();
      if (std::chrono::steady_clock::now() >= next_progress) {
        next_progress += std::chrono::milliseconds(250);
        PartRun::Activity a = part->activity();
        std::lock_guard lock(progress_mutex);
        link.send(control::Progress{progress.steps, progress.values, progress.completed, a.idle, a.runs, a.waiting});
      }
    }
  });
  RunReport report;
  try {
    report = part->execute();
  } catch (const std::exception& e) {
    report.error = "worker " + std::to_string(index) + ": " + e.what();
  }
  finished.store(true);
  link.interrupt();  // the report goes now, not at the control thread's next look
  control.join();
  link.send(control::Report{report});
  // Channels close here: a sending end waits until its last values were acknowledged.
  part.reset();
  w.channels.clear();
  return 0;
}

}  // namespace

// `patchbay-worker multiprocess ENDPOINT INDEX`
int run_multiprocess_worker(const std::vector<std::string>& args) {
  int index = -1;
  if (args.size() == 2) {
    try {
      std::size_t used = 0;
      index = std::stoi(args[1], &used);
      if (used != args[1].size()) index = -1;
    } catch (const std::exception&) {
      index = -1;
    }
  }
  if (index < 0) {
    std::cerr << "usage: patchbay-worker multiprocess ENDPOINT INDEX (started by patchbay, not by people)\n";
    return 2;
  }
  keep_freed_memory();  // as the patchbay program does; see patchbay/memory.hpp
  try {
    return run_worker(args[0], index);
  } catch (const std::exception& e) {
    std::cerr << "patchbay-worker: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace patchbay::detail
