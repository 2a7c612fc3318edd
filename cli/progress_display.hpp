// The live progress line of `patchbay run` on a terminal.
#pragma once

#include <patchbay/process.hpp>

namespace patchbay::cli {

class ProgressDisplay {
 public:
  explicit ProgressDisplay(bool enabled) : enabled_(enabled) {}
  void update(const Progress& p);
  void clear();  // erases the line before anything else is printed

 private:
  bool enabled_;
  bool shown_ = false;
};

}  // namespace patchbay::cli
