// bench_life (W9): Conway's Game of Life on 1024 x 1024 cells, 100 generations, as a
// plain loop on one thread and as a patchbay model of tiles (examples/game-of-life) on
// one and on two threads, in the same program. Not a comparison with another library:
// the baseline is the plain loop, and every ratio is patchbay's rate over its rate.
//
//   plain:     life::run_plain (the initial pattern, then 100 generations of the whole
//              grid with life::advance), then the grid written as a PGM image.
//   patchbay:  life::make_model: T x T life.Tile components (T = 2 and 4) that swap edges
//              every generation, and a life.Image sink that joins them and writes the
//              same PGM; local process, RunOptions::threads 1 or 2. The time is the whole
//              patchbay::run call (building the components, init(), every step, the
//              image, stopping the threads).
//
// Both sides do the same job with the same kernel (life_rule.hpp) and write the same
// file. Every patchbay image is read back and must equal the plain loop's grid cell for
// cell. Each figure is the median of kRounds; the order of the runs turns round by round,
// so a change in the machine's load hits them all alike. The CPU seconds (getrusage, all
// threads) of each run are printed too, because the machine is shared.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <patchbay/memory.hpp>
#include <patchbay/model.hpp>
#include <patchbay/plugin.hpp>
#include <patchbay/process.hpp>

#include "../../examples/game-of-life/life_model.hpp"
#include "../../examples/game-of-life/life_rule.hpp"
#include "../../examples/game-of-life/pgm.hpp"
#include "../common/bench.hpp"

namespace {

constexpr std::int64_t kSize = 1024;
constexpr std::int64_t kGenerations = 100;
constexpr int kRounds = 11;
const life::Setup kSetup{kSize, kGenerations, 1, 0.35};

struct Sample {
  double wall = 0, cpu = 0;
};

// One way of doing the job: the plain loop (tiles 0) or a model of tiles x tiles.
struct Job {
  std::string name;
  std::int64_t tiles = 0;
  int threads = 1;
  patchbay::Model model;
  std::vector<double> wall, cpu;
};

template <class F>
Sample timed(F&& body) {
  const double cpu0 = bench::cpu_seconds();
  const auto start = bench::Clock::now();
  body();
  return {bench::seconds_since(start), bench::cpu_seconds() - cpu0};
}

Sample run_job(const Job& job, const std::filesystem::path& image, const std::vector<std::uint8_t>& expected) {
  std::filesystem::remove(image);
  Sample s;
  if (job.tiles == 0) {
    s = timed([&] { life::write_pgm(image, kSize, kSize, life::run_plain(kSetup)); });
  } else {
    patchbay::RunOptions options;
    options.threads = job.threads;
    patchbay::RunReport report;
    s = timed([&] { report = patchbay::run(job.model, options); });
    bench::check(report.ok, job.name + ": the run failed: " + report.error);
  }
  bench::check(life::read_pgm(image).cells == expected, job.name + ": the final grid differs from the plain loop's");
  return s;
}

}  // namespace

int main() {
  patchbay::keep_freed_memory();  // as the patchbay program does; the plain loop runs under it too
  return bench::guarded_main("bench_life", [] {
    const patchbay::PluginLoad plugin = patchbay::load_plugin(PATCHBAY_BENCH_LIFE_PLUGIN);
    bench::check(plugin.ok(), "cannot load the life plugin: " + plugin.error);
    const auto image =
        std::filesystem::temp_directory_path() / ("patchbay-bench-life-" + std::to_string(::getpid()) + ".pgm");

    std::vector<Job> jobs;
    jobs.push_back({"plain", 0, 1, {}, {}, {}});
    for (std::int64_t tiles : {2, 4})
      for (int threads : {1, 2}) {
        life::ModelOptions o;
        o.setup = kSetup;
        o.tiles = tiles;
        o.image = image.string();
        o.plugin = "";  // loaded above, into this process
        Job job{"patchbay_" + std::to_string(tiles) + "x" + std::to_string(tiles) + "_" + std::to_string(threads) +
                    (threads == 1 ? "thread" : "threads"),
                tiles,
                threads,
                life::make_model(o),
                {},
                {}};
        if (auto errors = patchbay::check_model(job.model); !errors.empty())
          throw std::runtime_error(patchbay::format_errors(errors));
        jobs.push_back(std::move(job));
      }

    const std::vector<std::uint8_t> expected = life::run_plain(kSetup);  // also warms the caches and the allocator
    for (int round = 0; round < kRounds; ++round)
      for (std::size_t k = 0; k < jobs.size(); ++k) {
        Job& job = jobs[(k + static_cast<std::size_t>(round)) % jobs.size()];
        const Sample s = run_job(job, image, expected);
        job.wall.push_back(s.wall);
        job.cpu.push_back(s.cpu);
      }
    std::filesystem::remove(image);

    const double cell_updates = static_cast<double>(kSize * kSize * kGenerations);
    const double plain_rate = cell_updates / bench::median(jobs.front().wall);
    double load[1] = {0};
    if (getloadavg(load, 1) == 1) bench::metric("w9_load_average_1min", load[0], "runnable");
    for (const Job& job : jobs) {
      const std::string w = "w9_" + job.name;
      const double rate = cell_updates / bench::median(job.wall);
      bench::metric(w + "_rate", rate, "cells/s");
      bench::metric(w + "_wall", bench::median(job.wall) * 1e3, "ms");
      bench::metric(w + "_cpu", bench::median(job.cpu) * 1e3, "ms");
      if (job.tiles != 0) bench::metric(w + "_rate_ratio_higher_is_better", rate / plain_rate, "patchbay/plain");
    }
  });
}
