// Builds the tiled Game of Life model with the C++ Model API: tiles x tiles life.Tile
// components, each wired to its (up to) eight neighbours, and one life.Image sink that
// takes every tile's final cells. The generator (make_model.cpp) saves it as YAML; the
// W9 benchmark runs it directly.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <patchbay/model.hpp>

#include "life_rule.hpp"
#include "tiling.hpp"

namespace life {

struct ModelOptions {
  Setup setup;
  std::int64_t tiles = 4;          // tiles per side
  std::string process = "local";   // or "multiprocess"
  std::int64_t workers = 2;        // multiprocess: worker processes
  std::int64_t threads = 0;        // threads of the process (of each worker); 0: the default, one per core
  std::string image = "life.pgm";  // the file life.Image writes
  std::string plugin = "life";     // written under plugins: ("" names none)
};

// One edge of a tile and where it goes: the tile at (row + dr, col + dc) takes this
// tile's `output` on its `input`.
struct Neighbour {
  int dr, dc;
  const char* output;
  const char* input;
};
inline constexpr Neighbour kNeighbours[] = {
    {-1, 0, "top", "south"},
    {1, 0, "bottom", "north"},
    {0, -1, "left", "east"},
    {0, 1, "right", "west"},
    {-1, -1, "top_left", "south_east"},
    {-1, 1, "top_right", "south_west"},
    {1, -1, "bottom_left", "north_east"},
    {1, 1, "bottom_right", "north_west"},
};

inline std::string tile_name(std::int64_t row, std::int64_t col) {
  return "tile-" + std::to_string(row) + "-" + std::to_string(col);
}

inline constexpr const char* kImageName = "image";

// Throws std::invalid_argument for options no model can have.
inline patchbay::Model make_model(const ModelOptions& o) {
  const Setup& s = o.setup;
  if (s.size < 1 || s.size > kMaxSize)
    throw std::invalid_argument("the grid size must be from 1 to " + std::to_string(kMaxSize));
  if (o.tiles < 1 || o.tiles > s.size) throw std::invalid_argument("tiles per side must be from 1 to the grid size");
  if (s.generations < 1) throw std::invalid_argument("generations must be at least 1");
  if (o.process != "local" && o.process != "multiprocess")
    throw std::invalid_argument("the process is local or multiprocess, not '" + o.process + "'");
  const std::int64_t tile_count = o.tiles * o.tiles;
  if (o.process == "multiprocess" && (o.workers < 1 || o.workers > tile_count))
    throw std::invalid_argument("workers must be from 1 to the number of tiles (" + std::to_string(tile_count) + ")");
  if (o.threads < 0) throw std::invalid_argument("threads must be 0 (the default) or more");

  patchbay::Model model;
  if (!o.plugin.empty()) model.plugins().push_back(o.plugin);
  model.process().type = o.process;
  if (o.process == "multiprocess") model.process().args.emplace_back("workers", o.workers);
  if (o.threads > 0) model.process().args.emplace_back("threads", o.threads);

  for (std::int64_t r = 0; r < o.tiles; ++r) {
    for (std::int64_t c = 0; c < o.tiles; ++c) {
      patchbay::ComponentSpec& tile = model.add_component("life.Tile", tile_name(r, c),
                                                          {{"size", s.size},
                                                           {"tiles", o.tiles},
                                                           {"tile_row", r},
                                                           {"tile_col", c},
                                                           {"generations", s.generations},
                                                           {"seed", s.seed},
                                                           {"density", s.density}});
      // Runs of consecutive tiles (row by row) per worker: only the runs' edges cross
      // processes.
      if (o.process == "multiprocess") tile.worker = static_cast<int>((r * o.tiles + c) * o.workers / tile_count);
    }
  }
  patchbay::ComponentSpec& image =
      model.add_component("life.Image", kImageName, {{"size", s.size}, {"tiles", o.tiles}, {"path", o.image}});
  if (o.process == "multiprocess") image.worker = 0;

  for (std::int64_t r = 0; r < o.tiles; ++r) {
    for (std::int64_t c = 0; c < o.tiles; ++c) {
      const std::string from = tile_name(r, c);
      for (const Neighbour& n : kNeighbours) {
        const std::int64_t nr = r + n.dr, nc = c + n.dc;
        // Past the border there is no tile: the neighbour's optional input stays unconnected.
        if (nr < 0 || nr >= o.tiles || nc < 0 || nc >= o.tiles) continue;
        model.connect(from + "." + n.output, tile_name(nr, nc) + "." + n.input);
      }
      model.connect(from + ".tile", std::string(kImageName) + "." + tile_input_name(r, c));
    }
  }
  return model;
}

}  // namespace life
