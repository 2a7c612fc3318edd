// A worker of a multiprocess run: the same `patchbay` program started as
// `patchbay worker ENDPOINT INDEX` by the coordinator. It loads the same model and
// plugins, runs the components placed on it (a PartRun) and talks to the coordinator
// over one DEALER socket (control_messages.hpp for the conversation).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <thread>

#include <zmq.hpp>

#include "control_messages.hpp"
#include "graph.hpp"
#include "local_process.hpp"
#include "patchbay/model_yaml.hpp"
#include "patchbay/plugin.hpp"

namespace patchbay {

namespace {

using json = nlohmann::json;

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
  void send(const json& message) {
    std::string text = message.dump();
    socket_.send(zmq::buffer(text), zmq::send_flags::none);
  }
  // The next message, or null after `timeout` or once another thread called interrupt().
  json receive(std::chrono::milliseconds timeout) {
    zmq::pollitem_t items[] = {{socket_.handle(), 0, ZMQ_POLLIN, 0}, {poke_in_.handle(), 0, ZMQ_POLLIN, 0}};
    if (zmq::poll(items, 2, timeout) == 0) return nullptr;
    zmq::message_t m;
    if (items[1].revents & ZMQ_POLLIN) {
      (void)poke_in_.recv(m, zmq::recv_flags::dontwait);
      return nullptr;
    }
    if (!socket_.recv(m, zmq::recv_flags::dontwait)) return nullptr;
    return json::parse(m.to_string_view());
  }
  // Cuts short a receive() on another thread (the only call allowed across threads).
  void interrupt() { poke_out_.send(zmq::const_buffer("", 0), zmq::send_flags::dontwait); }
  json expect(const std::string& type) {
    for (;;) {
      json m = receive(std::chrono::milliseconds(60000));
      if (m.is_null()) throw std::runtime_error("no '" + type + "' from the coordinator within 60 s");
      if (m.at("type") == "abort" || m.at("type") == "stop") throw std::runtime_error("told to stop before the run");
      if (m.at("type") == type) return m;
    }
  }

 private:
  zmq::socket_t socket_;
  zmq::socket_t poke_in_, poke_out_;
};

struct WorkerRun {
  int index;
  Model model;
  detail::Graph graph;
  std::vector<bool> here;
  std::vector<std::unique_ptr<Channel>> channels;  // by edge

  // Receiving ends first (they bind), so that sending ends elsewhere can connect.
  json open_receivers() {
    json endpoints = json::object();
    for (std::size_t i = 0; i < graph.edges.size(); ++i) {
      const auto& e = graph.edges[i];
      bool from_here = here[e.source_node], to_here = here[e.target_node];
      if (!to_here) continue;
      EdgePlacement edge;
      edge.connector = e.label;
      edge.same_process = from_here;
      edge.ends = from_here ? EdgePlacement::Ends::both : EdgePlacement::Ends::receive;
      channels[i] = find_channel_backend(e.channel.type)->open(e.channel, edge);
      if (!from_here) endpoints[std::to_string(i)] = channels[i]->endpoint();
    }
    return endpoints;
  }

  void open_senders(const json& endpoints) {
    for (std::size_t i = 0; i < graph.edges.size(); ++i) {
      const auto& e = graph.edges[i];
      if (!here[e.source_node] || here[e.target_node]) continue;
      EdgePlacement edge;
      edge.connector = e.label;
      edge.same_process = false;
      edge.ends = EdgePlacement::Ends::send;
      edge.endpoint = endpoints.at(std::to_string(i)).get<std::string>();
      channels[i] = find_channel_backend(e.channel.type)->open(e.channel, edge);
    }
  }
};

}  // namespace

int run_worker(const std::string& control_endpoint, int index) {
  zmq::context_t context(1);
  Link link(context, control_endpoint, index);
  link.send({{"type", "hello"}, {"pid", static_cast<long>(getpid())}});
  WorkerRun w;
  w.index = index;
  std::unique_ptr<detail::PartRun> part;
  int threads = 1;
  try {
    json setup = link.expect("setup");
    for (const auto& p : setup.at("plugins")) {
      PluginLoad load = load_plugin(p.get<std::string>());
      if (!load.ok()) throw std::runtime_error("plugin '" + load.path + "': " + load.error);
    }
    LoadResult read = read_model_string(setup.at("model").get<std::string>(), setup.at("file").get<std::string>());
    if (!read.ok()) throw std::runtime_error("the model did not load: " + read.errors.front().str());
    w.model = std::move(read.model);
    std::vector<Error> errors;
    w.graph = detail::build_graph(w.model, errors);
    if (!errors.empty()) throw std::runtime_error("the model did not check: " + errors.front().str());
    threads = setup.at("threads").get<int>();
    for (const auto& node : w.graph.nodes) w.here.push_back(node.worker == index);
    w.channels.resize(w.graph.edges.size());
    link.send({{"type", "bound"}, {"endpoints", w.open_receivers()}});
    w.open_senders(link.expect("connect").at("endpoints"));
    link.send({{"type", "ready"}});
    link.expect("start");
  } catch (const std::exception& e) {
    link.send({{"type", "failed"}, {"error", "worker " + std::to_string(index) + ": " + e.what()}});
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
  part = std::make_unique<detail::PartRun>(w.graph, w.here, raw, options, threads);

  // The control thread owns the link while the run goes on: progress out, stops in.
  std::atomic<bool> finished{false};
  std::thread control([&] {
    auto next_progress = std::chrono::steady_clock::now();
    while (!finished.load()) {
      json m = link.receive(std::chrono::milliseconds(50));
      if (!m.is_null()) {
        if (m.at("type") == "stop") part->request_stop(m.value("interrupted", false));
        else if (m.at("type") == "abort") part->abandon();
      }
      if (std::chrono::steady_clock::now() >= next_progress) {
        next_progress += std::chrono::milliseconds(250);
        detail::PartRun::Activity a = part->activity();
        std::lock_guard lock(progress_mutex);
        link.send({{"type", "progress"},
                   {"steps", progress.steps},
                   {"values", progress.values},
                   {"completed", progress.completed},
                   {"idle", a.idle},
                   {"runs", a.runs},
                   {"waiting", a.waiting}});
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
  link.send({{"type", "report"}, {"report", detail::report_to_json(report)}});
  // Channels close here: a sending end waits until its last values were acknowledged.
  part.reset();
  w.channels.clear();
  return 0;
}

}  // namespace patchbay
