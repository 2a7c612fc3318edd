// life_make_model: writes a tiled Game of Life model as YAML (life_model.hpp builds it
// with the Model API; nobody writes 16 tiles and 100 connectors by hand).
//
//   life_make_model --size 128 --tiles 4 --generations 100 --image life-4x4.pgm -o life-4x4.yaml
//   life_make_model --tiles 4 --process multiprocess --workers 2 -o life-mp.yaml
//
// The file starts with a comment giving the command that made it, so a model in the tree
// can be made again and compared.
#include <charconv>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <patchbay/error.hpp>
#include <patchbay/model_yaml.hpp>

#include "life_model.hpp"

namespace {

std::string shortest(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(d);
}

// The options as a command line, every one spelled out, so the header says exactly what
// made the file whatever defaults change later.
std::string command_line(const life::ModelOptions& o, const std::string& output) {
  std::string line = "life_make_model --size " + std::to_string(o.setup.size) + " --tiles " + std::to_string(o.tiles) +
                     " --generations " + std::to_string(o.setup.generations) + " --seed " +
                     std::to_string(o.setup.seed) + " --density " + shortest(o.setup.density) + " --process " +
                     o.process;
  if (o.process == "multiprocess") line += " --workers " + std::to_string(o.workers);
  if (o.threads > 0) line += " --threads " + std::to_string(o.threads);
  line += " --image " + o.image + " --plugin " + (o.plugin.empty() ? "''" : o.plugin);
  return line + " -o " + std::filesystem::path(output).filename().string();
}

}  // namespace

int main(int argc, char** argv) {
  life::ModelOptions o;
  std::string output;
  CLI::App app{"life_make_model: writes a Game of Life model of tiles x tiles life.Tile components as YAML",
               "life_make_model"};
  app.add_option("--size", o.setup.size, "cells per side of the grid")->capture_default_str();
  app.add_option("--tiles", o.tiles, "tiles per side")->capture_default_str();
  app.add_option("--generations", o.setup.generations, "generations to run")->capture_default_str();
  app.add_option("--seed", o.setup.seed, "seed of the initial pattern")->capture_default_str();
  app.add_option("--density", o.setup.density, "share of cells alive at the start")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--process", o.process, "local or multiprocess")
      ->check(CLI::IsMember({"local", "multiprocess"}))
      ->capture_default_str();
  app.add_option("--workers", o.workers, "worker processes (multiprocess)")->capture_default_str();
  app.add_option("--threads", o.threads, "threads of the process, or of each worker (0: one per core)")
      ->capture_default_str();
  app.add_option("--image", o.image, "the PGM file the model writes (relative: to the current folder)")
      ->capture_default_str();
  app.add_option("--plugin", o.plugin,
                 "the plugin the model names: a path (relative: to the model file) or a name looked up in "
                 "PATCHBAY_PLUGIN_PATH")
      ->capture_default_str();
  app.add_option("-o,--output", output, "the YAML file to write")->required();
  CLI11_PARSE(app, argc, argv);

  try {
    const patchbay::Model model = life::make_model(o);
    std::ofstream out(output, std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write '" + output + "'");
    out << "# Game of Life: " << o.setup.size << " x " << o.setup.size << " cells in " << o.tiles << " x " << o.tiles
        << " tiles, " << o.setup.generations << " generations (examples/game-of-life).\n"
        << "# Made by `" << command_line(o, output) << "`: do not edit by hand.\n"
        << patchbay::to_yaml(model);
    out.close();
    if (!out) throw std::runtime_error("cannot write '" + output + "'");
  } catch (const std::exception& e) {
    std::cerr << "life_make_model: " << e.what() << "\n";
    return 2;
  }
  std::cout << "wrote " << output << " (" << o.tiles * o.tiles << " tiles, process " << o.process << ")\n";
  return 0;
}
