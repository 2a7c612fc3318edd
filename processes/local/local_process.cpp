// The `local` process type: every component runs in this OS process, on a fixed pool of
// threads (`threads`, default one per core), each built once, here.
#include "graph.hpp"
#include "part_run.hpp"
#include "patchbay/backend/channel.hpp"
#include "patchbay/backend/process_type.hpp"
#include "stop_relay.hpp"
#include "text_util.hpp"

namespace patchbay {
namespace {

class LocalProcess final : public Process {
 public:
  LocalProcess(RunOptions options, int threads) : options_(std::move(options)), threads_(threads) {}

  RunReport run(const Model& model) override {
    std::vector<Error> errors;
    detail::Graph graph = detail::build_graph(model, errors);
    if (!errors.empty()) throw ModelError(std::move(errors));
    std::vector<std::unique_ptr<Channel>> channels;
    for (const auto& e : graph.edges) {
      try {
        channels.push_back(e.backend->open(e.channel, e.placement));
      } catch (const std::exception& ex) {
        RunReport failed;
        failed.error = detail::about_connector(e.placement.connector, ex.what());
        return failed;
      }
    }
    std::vector<Channel*> raw;
    for (auto& c : channels) raw.push_back(c.get());
    detail::PartRun run(graph, std::vector<bool>(graph.nodes.size(), true), raw, options_, threads_);
    auto attached = stops_.attach(run);
    return run.execute();
  }

  void request_stop() override { stops_.request_stop(); }

 private:
  RunOptions options_;
  int threads_;
  detail::StopRelay<detail::PartRun> stops_;
};

class LocalProcessType final : public ProcessType {
 public:
  std::string_view name() const override { return "local"; }
  std::string_view help() const override { return "one OS process, a pool of threads"; }
  std::vector<ParamInfo> parameters() const override {
    return {{"threads", "int64", Value(), false, "threads of the pool (default: one per core)", {}, 1, 1024}};
  }
  std::unique_ptr<Process> make(const Model& model, RunOptions options) const override {
    int threads = run_threads(model, options);
    return std::make_unique<LocalProcess>(std::move(options), threads);
  }
};

PATCHBAY_PROCESS_TYPE(LocalProcessType);

}  // namespace
}  // namespace patchbay
