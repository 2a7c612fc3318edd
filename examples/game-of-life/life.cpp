// The life plugin: Conway's Game of Life on a grid cut into tiles, one component per
// tile. Its types live one per file:
//   life.Tile   (tile.cpp)   a tile that swaps edges with its neighbours every generation
//   life.Image  (image.cpp)  joins the final tiles and writes the grid as a PGM image
// life_rule.hpp holds the rule and the plain loop that the checker compares against.
#include <patchbay/plugin.hpp>

PATCHBAY_PLUGIN()
