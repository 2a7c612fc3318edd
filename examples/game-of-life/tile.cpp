// life.Tile: one tile of a Game of Life grid. It makes its own part of the initial
// pattern, sends its edges to its eight neighbours, and then, each step (one generation),
// takes their edges as its halo, computes the next generation and sends its new edges.
// After `generations` steps it sends its cells on `tile` and closes.
//
// Its neighbour inputs are optional: a tile on the border of the grid leaves the ones
// past the border unconnected, and the halo there is dead cells. Connected, the step
// waits for them as for any input.
#include <patchbay/patchbay.hpp>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "life_rule.hpp"
#include "tiling.hpp"

namespace life {
namespace {

class Tile : public patchbay::Component {
 public:
  patchbay::Param<std::int64_t> size{this, "size", Setup{}.size, "cells per side of the whole grid"};
  patchbay::Param<std::int64_t> tiles{this, "tiles", 1, "tiles per side of the grid"};
  patchbay::Param<std::int64_t> tile_row{this, "tile_row", 0, "this tile's row of tiles, 0 at the top"};
  patchbay::Param<std::int64_t> tile_col{this, "tile_col", 0, "this tile's column of tiles, 0 on the left"};
  patchbay::Param<std::int64_t> generations{this, "generations", Setup{}.generations,
                                            "generations to run, one per step; then the tile is sent on `tile`"};
  patchbay::Param<std::int64_t> seed{this, "seed", Setup{}.seed,
                                     "seed of the initial pattern (the same on every tile)"};
  patchbay::Param<double> density{this, "density", Setup{}.density, "share of the cells alive at the start"};

  // The neighbours' edges of the previous generation.
  patchbay::Input<Cells> north{this, "north", optional};  // the bottom row of the tile above
  patchbay::Input<Cells> south{this, "south", optional};  // the top row of the tile below
  patchbay::Input<Cells> west{this, "west", optional};    // the right column of the tile to the left
  patchbay::Input<Cells> east{this, "east", optional};    // the left column of the tile to the right
  // The nearest corner cell of each diagonal neighbour.
  patchbay::Input<std::uint8_t> north_west{this, "north_west", optional};
  patchbay::Input<std::uint8_t> north_east{this, "north_east", optional};
  patchbay::Input<std::uint8_t> south_west{this, "south_west", optional};
  patchbay::Input<std::uint8_t> south_east{this, "south_east", optional};

  // This tile's edges, sent from init() and after every step but the last. Seeded: every
  // pair of neighbouring tiles is a cycle, which init() starts.
  patchbay::Output<Cells> top{this, "top", seeded};
  patchbay::Output<Cells> bottom{this, "bottom", seeded};
  patchbay::Output<Cells> left{this, "left", seeded};
  patchbay::Output<Cells> right{this, "right", seeded};
  patchbay::Output<std::uint8_t> top_left{this, "top_left", seeded};
  patchbay::Output<std::uint8_t> top_right{this, "top_right", seeded};
  patchbay::Output<std::uint8_t> bottom_left{this, "bottom_left", seeded};
  patchbay::Output<std::uint8_t> bottom_right{this, "bottom_right", seeded};
  // The cells after the last generation, row by row.
  patchbay::Output<Cells> tile{this, "tile"};

  explicit Tile(const patchbay::Args& args) : Component(args) {
    if (grid_fits(args, *size, *tiles)) {
      check_index(args, "tile_row", *tile_row);
      check_index(args, "tile_col", *tile_col);
    }
    if (*generations < 1)
      args.fail("generations", "argument 'generations' must be at least 1, got " + std::to_string(*generations));
    if (!(*density >= 0.0 && *density <= 1.0))
      args.fail("density", "argument 'density' must be from 0 to 1, got " + std::to_string(*density));
  }

  void init() override {
    const Setup setup{*size, *generations, *seed, *density};
    const Span rows = tile_span(*size, *tiles, *tile_row), cols = tile_span(*size, *tiles, *tile_col);
    current_ = PaddedCells(static_cast<std::size_t>(rows.length), static_cast<std::size_t>(cols.length));
    next_ = PaddedCells(current_.rows(), current_.cols());
    for (std::int64_t r = 0; r < rows.length; ++r)
      for (std::int64_t c = 0; c < cols.length; ++c)
        current_.at(r, c) = initially_alive(setup, rows.begin + r, cols.begin + c) ? 1 : 0;
    send_edges();  // generation 0, sent when the run starts
  }

  void step() override {
    const auto rows = static_cast<std::ptrdiff_t>(current_.rows()), cols = static_cast<std::ptrdiff_t>(current_.cols());
    // The connected sides of the halo are written every generation, as the two buffers
    // take turns. Past an unconnected input nothing writes it: dead in both from the start.
    fill_row(north, -1);
    fill_row(south, rows);
    fill_column(west, -1);
    fill_column(east, cols);
    fill_corner(north_west, -1, -1);
    fill_corner(north_east, -1, cols);
    fill_corner(south_west, rows, -1);
    fill_corner(south_east, rows, cols);

    advance(current_, next_);
    std::swap(current_, next_);

    if (++generation_ < *generations) {
      send_edges();
      return;
    }
    // The neighbours need no edges of the last generation: nothing is left over.
    tile = current_.interior();
    close();
  }

 private:
  void check_index(const patchbay::Args& args, const char* key, std::int64_t index) const {
    if (index < 0 || index >= *tiles)
      args.fail(key, std::string("argument '") + key + "' must be from 0 to tiles - 1 (" + std::to_string(*tiles - 1) +
                         "), got " + std::to_string(index));
  }

  static void check_length(const patchbay::InputPort& in, std::size_t got, std::size_t expected) {
    if (got != expected)
      throw std::runtime_error("input '" + in.name() + "' holds " + std::to_string(got) +
                               " cells, this tile's side has " + std::to_string(expected) +
                               ": the neighbour was cut from another tiling");
  }

  void fill_row(const patchbay::Input<Cells>& in, std::ptrdiff_t r) {
    if (!in.has_value()) return;  // unconnected: past the border of the grid
    const Cells& edge = *in;
    check_length(in, edge.size(), current_.cols());
    std::copy(edge.begin(), edge.end(), current_.row(r));
  }

  void fill_column(const patchbay::Input<Cells>& in, std::ptrdiff_t c) {
    if (!in.has_value()) return;
    const auto rows = static_cast<std::ptrdiff_t>(current_.rows());
    const Cells& edge = *in;
    check_length(in, edge.size(), current_.rows());
    for (std::ptrdiff_t r = 0; r < rows; ++r) current_.at(r, c) = edge[static_cast<std::size_t>(r)];
  }

  void fill_corner(const patchbay::Input<std::uint8_t>& in, std::ptrdiff_t r, std::ptrdiff_t c) {
    if (in.has_value()) current_.at(r, c) = *in;
  }

  Cells column(std::ptrdiff_t c) const {
    Cells out(current_.rows());
    for (std::size_t r = 0; r < out.size(); ++r) out[r] = current_.at(static_cast<std::ptrdiff_t>(r), c);
    return out;
  }

  void send_edges() {
    const auto last_row = static_cast<std::ptrdiff_t>(current_.rows()) - 1;
    const auto last_col = static_cast<std::ptrdiff_t>(current_.cols()) - 1;
    top = Cells(current_.row(0), current_.row(0) + current_.cols());
    bottom = Cells(current_.row(last_row), current_.row(last_row) + current_.cols());
    left = column(0);
    right = column(last_col);
    top_left = current_.at(0, 0);
    top_right = current_.at(0, last_col);
    bottom_left = current_.at(last_row, 0);
    bottom_right = current_.at(last_row, last_col);
  }

  PaddedCells current_, next_;
  std::int64_t generation_ = 0;
};

}  // namespace

PATCHBAY_COMPONENT(Tile, "life.Tile",
                   "one tile of a Game of Life grid: swaps edges with its neighbours every generation");

}  // namespace life
