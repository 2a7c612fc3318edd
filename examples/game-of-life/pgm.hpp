// The final grid as a binary PGM image (P5, one byte per cell: live cells black, dead
// ones white), written by the life.Image sink and read back by the checker and the
// benchmark. PGM needs no library, and it holds the grid cell for cell.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

namespace life {

inline constexpr unsigned char kLivePixel = 0;     // black
inline constexpr unsigned char kDeadPixel = 255;   // white
inline constexpr std::int64_t kMaxSide = 1 << 16;  // read_pgm refuses larger images

struct Image {
  std::int64_t width = 0, height = 0;
  std::vector<std::uint8_t> cells;  // row by row, 1 = alive
};

// Writes cells (row by row, 0 or 1) as a width x height P5 file, replacing `path`.
inline void write_pgm(const std::string& path, std::int64_t width, std::int64_t height,
                      const std::vector<std::uint8_t>& cells) {
  if (static_cast<std::int64_t>(cells.size()) != width * height)
    throw std::invalid_argument("write_pgm: " + std::to_string(cells.size()) + " cells for a " + std::to_string(width) +
                                " x " + std::to_string(height) + " image");
  std::vector<char> pixels(cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) pixels[i] = static_cast<char>(cells[i] ? kLivePixel : kDeadPixel);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write '" + path + "': " + std::strerror(errno));
  out << "P5\n" << width << " " << height << "\n255\n";
  out.write(pixels.data(), static_cast<std::streamsize>(pixels.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write '" + path + "': " + std::strerror(errno));
}

namespace detail {
// The next header number of a PGM, skipping whitespace and # comments.
inline std::int64_t pgm_number(std::istream& in, const std::string& path, const char* what) {
  for (;;) {
    int c = in.peek();
    if (c == '#') {
      std::string comment;
      std::getline(in, comment);
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      in.get();
    } else {
      break;
    }
  }
  std::int64_t n = 0;
  if (!(in >> n) || n <= 0) throw std::runtime_error("'" + path + "' is not a P5 PGM: bad " + what);
  return n;
}
}  // namespace detail

// Reads a P5 file that write_pgm wrote; any pixel other than black or white is an error,
// so a damaged image cannot pass for a grid.
inline Image read_pgm(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read '" + path + "': " + std::strerror(errno));
  char magic[2] = {};
  if (!in.read(magic, 2) || magic[0] != 'P' || magic[1] != '5')
    throw std::runtime_error("'" + path + "' is not a P5 PGM");
  Image image;
  image.width = detail::pgm_number(in, path, "width");
  image.height = detail::pgm_number(in, path, "height");
  if (image.width > kMaxSide || image.height > kMaxSide)
    throw std::runtime_error("'" + path + "': " + std::to_string(image.width) + " x " + std::to_string(image.height) +
                             " is larger than this reader takes");
  if (detail::pgm_number(in, path, "maximum value") != 255)
    throw std::runtime_error("'" + path + "': maximum value is not 255");
  in.get();  // the one whitespace byte before the pixels
  std::vector<char> pixels(static_cast<std::size_t>(image.width * image.height));
  if (!in.read(pixels.data(), static_cast<std::streamsize>(pixels.size())))
    throw std::runtime_error("'" + path + "' ends before its " + std::to_string(pixels.size()) + " pixels");
  if (in.peek() != std::char_traits<char>::eof()) throw std::runtime_error("'" + path + "' has bytes after its pixels");
  image.cells.resize(pixels.size());
  for (std::size_t i = 0; i < pixels.size(); ++i) {
    const auto p = static_cast<unsigned char>(pixels[i]);
    if (p != kLivePixel && p != kDeadPixel)
      throw std::runtime_error("'" + path + "': pixel " + std::to_string(i) + " is " + std::to_string(p) +
                               ", neither a live nor a dead cell");
    image.cells[i] = p == kLivePixel ? 1 : 0;
  }
  return image;
}

}  // namespace life
