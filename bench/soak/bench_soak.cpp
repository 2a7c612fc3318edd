// bench_soak: 10,000,000 values through every built-in channel backend and process type,
// exact, with the time and the peak memory of each process. Not a comparison with another
// library: the baseline is the local run of the same model, in the same program.
//
//   model:  builtin.Iterator (10,000,000 int64) -> builtin.Passthrough -> builtin.Checksum
//   cases:  local (inproc channels); multiprocess on 2 workers with the pass-through on
//           worker 1, so both connectors cross processes, over zmq ipc and zmq tcp.
//
// Each case runs in a child forked from this process, so its peak RSS (getrusage
// RUSAGE_SELF) is its own: the local process, or the multiprocess coordinator. The
// workers' figure is RUSAGE_CHILDREN of that child once they are reaped: the largest peak
// among them. The checksum file must say 10,000,000 values, their sum, in order.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>

#include <patchbay/memory.hpp>
#include <patchbay/model.hpp>
#include <patchbay/process.hpp>

#include "../common/bench.hpp"

namespace {

constexpr std::int64_t kValues = 10'000'000;

struct Result {
  double seconds = 0;
  long rss_kib = 0;          // the process that ran the model (local) or coordinated it
  long worker_rss_kib = 0;   // the largest worker's, multiprocess only
};

Result soak(const std::string& process, const std::string& transport) {
  const auto checksum = std::filesystem::temp_directory_path() /
                        ("patchbay-bench-soak-" + std::to_string(::getpid()) + ".json");
  patchbay::Model model;
  model.process().type = process;
  model.add_component("builtin.Iterator", "src", {{"iters", kValues}}).worker = 0;
  model.add_component("builtin.Passthrough", "pass").worker = 1;
  model.add_component("builtin.Checksum", "sum", {{"path", checksum.string()}}).worker = 0;
  patchbay::ChannelSpec channel;
  if (!transport.empty()) {
    channel.type = "zmq";
    channel.options.emplace_back("transport", patchbay::Value(transport));
  }
  model.connect("src.x", "pass.x", channel);
  model.connect("pass.y", "sum.x", channel);
  auto start = bench::Clock::now();
  patchbay::RunReport report = patchbay::run(model);
  Result r;
  r.seconds = bench::seconds_since(start);
  bench::check(report.ok, process + " " + transport + ": " + report.error);
  bench::check_checksum_file(checksum, kValues);
  rusage self{}, children{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  r.rss_kib = self.ru_maxrss;
  r.worker_rss_kib = children.ru_maxrss;
  return r;
}


}  // namespace

int main() {
  patchbay::keep_freed_memory();
  return bench::guarded_main("bench_soak", [] {
    const double mvalues = static_cast<double>(kValues) / 1e6;
    Result local = bench::in_child<Result>("bench_soak", [] { return soak("local", ""); });
    bench::metric("soak_local_seconds", local.seconds, "s");
    bench::metric("soak_local_throughput", mvalues / local.seconds, "Mvalues/s");
    bench::metric("soak_local_peak_rss", static_cast<double>(local.rss_kib) / 1024, "MiB");
    for (const std::string transport : {"ipc", "tcp"}) {
      Result r = bench::in_child<Result>("bench_soak", [&] { return soak("multiprocess", transport); });
      const std::string name = "soak_multiprocess_zmq_" + transport;
      bench::metric(name + "_seconds", r.seconds, "s");
      bench::metric(name + "_throughput", mvalues / r.seconds, "Mvalues/s");
      bench::metric(name + "_coordinator_peak_rss", static_cast<double>(r.rss_kib) / 1024, "MiB");
      bench::metric(name + "_worker_peak_rss", static_cast<double>(r.worker_rss_kib) / 1024, "MiB");
      bench::metric(name + "_throughput_ratio_higher_is_better", local.seconds / r.seconds, "multiprocess/local");
    }
  });
}
