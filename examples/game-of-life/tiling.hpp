// How a size x size grid is cut into tiles x tiles tiles, and the names the model gives
// them. The tile, the image sink and the model generator all place tiles through here.
#pragma once

#include <cstdint>
#include <string>

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

}  // namespace life
