// How a size x size grid is cut into tiles x tiles tiles, and the names the model gives
// them. The tile, the image sink and the model generator all place tiles through here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <patchbay/args.hpp>

namespace life {

// Cells [begin, begin + length) of one side. Tile i of n takes [i * size / n, (i + 1) * size / n),
// so tiles differ by one cell at most when n does not divide size.
struct Span {
  std::int64_t begin = 0;
  std::int64_t length = 0;
};

inline Span tile_span(std::int64_t size, std::int64_t tiles, std::int64_t index) {
  const std::int64_t begin = index * size / tiles;
  return {begin, (index + 1) * size / tiles - begin};
}

// The image sink's input for the tile in row r, column c of tiles.
inline std::string tile_input_name(std::int64_t r, std::int64_t c) {
  return "tile_" + std::to_string(r) + "_" + std::to_string(c);
}

// The largest grid the components accept: the sink holds the whole grid in memory.
inline constexpr std::int64_t kMaxSize = 32768;

// A row or column of cells, or a whole tile (row by row): crosses processes as one block.
using Cells = std::vector<std::uint8_t>;

// The tile's and the sink's check of the grid arguments: false (and reported) if wrong.
inline bool grid_fits(const patchbay::Args& args, std::int64_t size, std::int64_t tiles) {
  if (size < 1 || size > kMaxSize) {
    args.fail("size", "argument 'size' must be from 1 to " + std::to_string(kMaxSize) + ", got " + std::to_string(size));
    return false;
  }
  if (tiles < 1 || tiles > size) {
    args.fail("tiles", "argument 'tiles' must be from 1 to size (" + std::to_string(size) + "), got " +
                           std::to_string(tiles));
    return false;
  }
  return true;
}

}  // namespace life
