// Not API, but for process types: runs the components of a graph that are placed in this
// OS process. A fixed pool of threads steps whichever components are ready. The local
// process type runs a whole graph this way; a worker of a multiprocess run, its part.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "graph.hpp"
#include "patchbay/backend/channel.hpp"
#include "patchbay/process.hpp"

namespace patchbay::detail {

class LocalRun;

// Runs the nodes of `graph` marked in `here` over `channels` (one per edge, null where
// neither end is here); an edge with one end here reaches another process. Reports only
// the components here.
class PartRun {
 public:
  PartRun(Graph& graph, std::vector<bool> here, std::vector<Channel*> channels, RunOptions options, int threads);
  ~PartRun();
  RunReport execute();
  void request_stop(bool interrupted);  // from any thread
  // Stops, and does not wait for producers in other processes (they are gone).
  void abandon();

  // What a coordinator needs to tell a stall across processes: whether any node here is
  // scheduled or running, how many node runs have started, and who waits.
  struct Activity {
    bool idle = false;
    std::uint64_t runs = 0;
    std::vector<std::string> waiting;
  };
  Activity activity() const;

 private:
  std::unique_ptr<LocalRun> run_;
};

}  // namespace patchbay::detail
