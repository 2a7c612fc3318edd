// life_check: runs a tiled Game of Life model (or takes the image a `patchbay run` of it
// wrote) and compares the final grid cell for cell with the plain loop of life_rule.hpp.
//
//   life_check MODEL.yaml               runs MODEL.yaml with patchbay::run, then compares
//   life_check MODEL.yaml --image FILE  compares FILE without running anything
//
// The grid size, generations, seed and density come from the model's life.Tile
// components; the image is the life.Image component's `path`. Before that it checks the
// rule itself: on all 512 neighbourhoods of a cell and on patterns whose future is known
// (the plain loop shares the rule with the tiles, so comparing the two cannot catch a
// wrong rule). Exit status: 0 the grids match, 1 they differ, the run failed or the rule
// is wrong, 2 the model or the command line is wrong.
#include <bit>
#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <patchbay/model.hpp>
#include <patchbay/model_yaml.hpp>
#include <patchbay/process.hpp>
#include <patchbay/value_traits.hpp>

#include "life_rule.hpp"
#include "pgm.hpp"
#include "tiling.hpp"

namespace {

using Cell = std::pair<int, int>;  // row, column
using CellSet = std::set<Cell>;

// --- the rule on known patterns -----------------------------------------------------------

CellSet evolve(int size, const CellSet& alive, int generations) {
  life::PaddedCells current(static_cast<std::size_t>(size), static_cast<std::size_t>(size));
  life::PaddedCells next(current.rows(), current.cols());
  for (auto [r, c] : alive) current.at(r, c) = 1;
  for (int g = 0; g < generations; ++g) {
    life::advance(current, next);
    std::swap(current, next);
  }
  CellSet out;
  for (int r = 0; r < size; ++r)
    for (int c = 0; c < size; ++c)
      if (current.at(r, c)) out.insert({r, c});
  return out;
}

CellSet shifted(const CellSet& cells, int dr, int dc) {
  CellSet out;
  for (auto [r, c] : cells) out.insert({r + dr, c + dc});
  return out;
}

// Throws naming the first pattern whose future is not what B3/S23 with dead borders says.
void check_rule_on_known_patterns() {
  auto expect = [](const char* what, const CellSet& got, const CellSet& want) {
    if (got != want) throw std::runtime_error(std::string("the rule is wrong: ") + what);
  };
  // Every 3 x 3 neighbourhood, against B3/S23 as the rule says it: a live cell with 2 or
  // 3 live neighbours lives on, a dead one with exactly 3 comes alive.
  for (unsigned mask = 0; mask < 512; ++mask) {
    CellSet cells;
    for (int bit = 0; bit < 9; ++bit)
      if (mask & (1u << bit)) cells.insert({bit / 3, bit % 3});
    const bool alive = mask & (1u << 4);
    const int neighbours = std::popcount(mask & ~(1u << 4));
    const bool lives = alive ? (neighbours == 2 || neighbours == 3) : neighbours == 3;
    if (evolve(3, cells, 1).count({1, 1}) != (lives ? 1u : 0u))
      throw std::runtime_error("the rule is wrong: a " + std::string(alive ? "live" : "dead") + " cell with " +
                               std::to_string(neighbours) + " live neighbours should " + (lives ? "live" : "die"));
  }
  const CellSet block{{2, 2}, {2, 3}, {3, 2}, {3, 3}};
  expect("a block is not still", evolve(6, block, 1), block);
  const CellSet blinker_across{{2, 1}, {2, 2}, {2, 3}}, blinker_down{{1, 2}, {2, 2}, {3, 2}};
  expect("a blinker does not turn", evolve(5, blinker_across, 1), blinker_down);
  expect("a blinker does not come back after 2 generations", evolve(5, blinker_across, 2), blinker_across);
  const CellSet glider{{0, 1}, {1, 2}, {2, 0}, {2, 1}, {2, 2}};
  expect("a glider does not move one cell down and right in 4 generations", evolve(10, glider, 4),
         shifted(glider, 1, 1));
  // On the top edge a blinker loses the cell it would make above the grid: the border
  // is dead, not wrapped (wrapped, row 3 would get a cell).
  expect("the border is not dead", evolve(4, {{0, 0}, {0, 1}, {0, 2}}, 1), CellSet{{0, 1}, {1, 1}});
}

// --- the model ------------------------------------------------------------------------------

struct LifeModel {
  life::Setup setup;
  std::int64_t tiles = 1;
  std::string image_path;
  std::vector<std::string> tile_names;
  std::string image_name;
};

template <class T>
T arg_or(const patchbay::ComponentSpec& spec, const std::string& key, T fallback) {
  for (const auto& [k, v] : spec.args)
    if (k == key) {
      try {
        return patchbay::ValueTraits<T>::from_value(v);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("component '" + spec.name + "': argument '" + key + "': " + e.what());
      }
    }
  return fallback;
}

// What the tiles were told to compute; every tile must agree, or there is no one grid.
LifeModel describe(const patchbay::Model& model) {
  LifeModel m;
  std::optional<life::Setup> first;
  const life::Setup defaults;
  for (const auto& spec : model.components()) {
    if (spec.type == "life.Tile") {
      life::Setup s{arg_or(spec, "size", defaults.size), arg_or(spec, "generations", defaults.generations),
                    arg_or(spec, "seed", defaults.seed), arg_or(spec, "density", defaults.density)};
      const std::int64_t tiles = arg_or<std::int64_t>(spec, "tiles", 1);
      if (!first) {
        first = s;
        m.tiles = tiles;
      } else if (s.size != first->size || s.generations != first->generations || s.seed != first->seed ||
                 s.density != first->density || tiles != m.tiles) {
        throw std::invalid_argument("tile '" + spec.name +
                                    "' has other size, tiles, generations, seed or density than '" +
                                    m.tile_names.front() + "'");
      }
      m.tile_names.push_back(spec.name);
    } else if (spec.type == "life.Image") {
      if (!m.image_name.empty()) throw std::invalid_argument("more than one life.Image component");
      m.image_name = spec.name;
      m.image_path = arg_or<std::string>(spec, "path", "");
    }
  }
  if (!first) throw std::invalid_argument("no life.Tile component");
  if (m.image_name.empty()) throw std::invalid_argument("no life.Image component");
  m.setup = *first;
  if (static_cast<std::int64_t>(m.tile_names.size()) != m.tiles * m.tiles)
    throw std::invalid_argument(std::to_string(m.tile_names.size()) + " tiles, but they say there are " +
                                std::to_string(m.tiles) + " x " + std::to_string(m.tiles));
  return m;
}

// Runs the model and checks that every tile ran every generation and nothing was lost.
// Returns an empty string, or what went wrong.
std::string run_model(const patchbay::Model& model, const LifeModel& m) {
  std::filesystem::remove(m.image_path);  // an image from an earlier run must not pass for this one's
  patchbay::RunReport report = patchbay::run(model);
  if (!report.ok) return "the run failed: " + report.error;
  for (const auto& c : report.components) {
    const std::uint64_t want = c.type == "life.Tile" ? static_cast<std::uint64_t>(m.setup.generations) : 1;
    if (c.steps != want || c.status != patchbay::Status::completed)
      return "component '" + c.name + "' ran " + std::to_string(c.steps) + " steps (" +
             std::string(patchbay::to_string(c.status)) + "), expected " + std::to_string(want) + " (completed)";
  }
  if (report.total_left_over() != 0)
    return std::to_string(report.total_left_over()) + " values were sent and never taken";
  std::cout << "ran " << report.components.size() << " components in " << std::fixed << std::setprecision(3)
            << std::chrono::duration<double>(report.elapsed).count() << " s (process " << model.process().type << ")\n";
  return "";
}

// The tile that holds cell (row, col), for messages.
std::string tile_of(const LifeModel& m, std::int64_t row, std::int64_t col) {
  auto index = [&](std::int64_t cell) {
    for (std::int64_t i = 0; i < m.tiles; ++i) {
      const life::Span s = life::tile_span(m.setup.size, m.tiles, i);
      if (cell < s.begin + s.length) return i;
    }
    return m.tiles - 1;
  };
  return "tile " + std::to_string(index(row)) + "," + std::to_string(index(col));
}

}  // namespace

int main(int argc, char** argv) {
  std::string model_path, image_override;
  CLI::App app{"life_check: runs a Game of Life model and compares its final grid with the plain loop", "life_check"};
  app.add_option("model", model_path, "the model file (YAML)")->required()->check(CLI::ExistingFile);
  app.add_option("--image", image_override, "compare this image (from `patchbay run MODEL`) instead of running");
  CLI11_PARSE(app, argc, argv);

  try {
    check_rule_on_known_patterns();
  } catch (const std::exception& e) {
    std::cerr << "life_check: " << e.what() << "\n";
    return 1;
  }

  LifeModel m;
  patchbay::Model model;
  try {
    // Running needs the plugins and the whole check; comparing an image needs the text only.
    patchbay::LoadResult loaded =
        image_override.empty() ? patchbay::load_model_file(model_path) : patchbay::read_model_file(model_path);
    if (!loaded.ok()) {
      std::cerr << patchbay::format_errors(loaded.errors) << "\n";
      return 2;
    }
    model = std::move(loaded.model);
    m = describe(model);
  } catch (const std::exception& e) {
    std::cerr << "life_check: " << model_path << ": " << e.what() << "\n";
    return 2;
  }

  if (image_override.empty()) {
    if (std::string error = run_model(model, m); !error.empty()) {
      std::cerr << "life_check: " << error << "\n";
      return 1;
    }
  } else {
    m.image_path = image_override;
  }

  const std::int64_t n = m.setup.size;
  const std::vector<std::uint8_t> expected = life::run_plain(m.setup);
  const std::vector<std::uint8_t> initial = life::initial_grid(m.setup).interior();
  std::int64_t live = 0;
  for (std::uint8_t cell : expected) live += cell;
  // A grid that ends as it began, or empty, would match a run that did nothing.
  if (live == 0 || expected == initial) {
    std::cerr << "life_check: with this size, seed, density and generations the plain loop ends "
              << (live == 0 ? "with no live cell" : "where it began")
              << ", so the comparison could not tell a right run from a wrong one: pick others\n";
    return 2;
  }

  life::Image image;
  try {
    image = life::read_pgm(m.image_path);
  } catch (const std::exception& e) {
    std::cerr << "life_check: " << e.what() << "\n";
    return 1;
  }
  if (image.width != n || image.height != n) {
    std::cerr << "life_check: " << m.image_path << " is " << image.width << " x " << image.height << ", the grid is "
              << n << " x " << n << "\n";
    return 1;
  }

  std::int64_t differing = 0;
  for (std::int64_t r = 0; r < n; ++r) {
    for (std::int64_t c = 0; c < n; ++c) {
      const auto i = static_cast<std::size_t>(r * n + c);
      if (image.cells[i] == expected[i]) continue;
      if (++differing <= 10)
        std::cerr << "cell " << r << "," << c << " (" << tile_of(m, r, c) << "): the model has "
                  << (image.cells[i] ? "alive" : "dead") << ", the plain loop " << (expected[i] ? "alive" : "dead")
                  << "\n";
    }
  }
  if (differing) {
    std::cerr << "life_check: " << differing << " of " << n * n << " cells differ from the plain loop\n";
    return 1;
  }
  std::cout << "life_check: " << m.image_path << ": " << n << " x " << n << " cells in " << m.tiles << " x " << m.tiles
            << " tiles after " << m.setup.generations << " generations match the plain loop cell for cell (" << live
            << " alive)\n";
  return 0;
}
