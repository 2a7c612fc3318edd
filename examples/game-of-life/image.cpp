// life.Image: joins the final tiles of a Game of Life grid and writes the grid as a PGM
// image. It has one input per tile, tile_R_C, so where each tile goes comes from the
// wiring, not from the order the tiles finish in. It steps once, when every tile is in.
#include <patchbay/patchbay.hpp>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "life_rule.hpp"
#include "pgm.hpp"
#include "tiling.hpp"

namespace life {
namespace {

class ImageSink : public patchbay::Component {
 public:
  patchbay::Param<std::int64_t> size{this, "size", Setup{}.size, "cells per side of the whole grid"};
  patchbay::Param<std::int64_t> tiles{this, "tiles", 1, "tiles per side; makes one input per tile, tile_R_C"};
  patchbay::Param<std::string> path{this, "path", patchbay::required, "the PGM (P5) file to write (replaced)"};

  explicit ImageSink(const patchbay::Args& args) : Component(args) {
    if (!grid_fits(args, *size, *tiles)) return;
    for (std::int64_t r = 0; r < *tiles; ++r)
      for (std::int64_t c = 0; c < *tiles; ++c) tile_inputs_.push_back(&add_input<Cells>(tile_input_name(r, c)));
  }

  void step() override {
    Cells grid(static_cast<std::size_t>(*size * *size));
    for (std::int64_t r = 0; r < *tiles; ++r) {
      const Span rows = tile_span(*size, *tiles, r);
      for (std::int64_t c = 0; c < *tiles; ++c) {
        const Span cols = tile_span(*size, *tiles, c);
        const auto& input = *tile_inputs_[static_cast<std::size_t>(r * *tiles + c)];
        const Cells& cells = *input;
        if (static_cast<std::int64_t>(cells.size()) != rows.length * cols.length)
          throw std::runtime_error("input '" + input.name() + "' holds " + std::to_string(cells.size()) +
                                   " cells, its tile has " + std::to_string(rows.length) + " x " +
                                   std::to_string(cols.length));
        for (std::int64_t i = 0; i < rows.length; ++i) {
          auto from = cells.begin() + i * cols.length;
          std::copy(from, from + cols.length, grid.begin() + (rows.begin + i) * *size + cols.begin);
        }
      }
    }
    blocking([&] { write_pgm(*path, *size, *size, grid); });  // file I/O: lend the pool thread
    close();
  }

 private:
  std::vector<patchbay::Input<Cells>*> tile_inputs_;
};

}  // namespace

PATCHBAY_COMPONENT(ImageSink, "life.Image",
                   "joins the final tiles of a Game of Life grid and writes it as a PGM image");

}  // namespace life
