#include "progress_display.hpp"

#include <cstdio>

namespace patchbay::cli {

void ProgressDisplay::update(const Progress& p) {
  if (!enabled_) return;
  double seconds = std::chrono::duration<double>(p.elapsed).count();
  std::fprintf(stderr, "\r\033[K%8.1f s  %llu steps  %llu values  %zu/%zu components done", seconds,
               static_cast<unsigned long long>(p.steps), static_cast<unsigned long long>(p.values), p.completed,
               p.components);
  std::fflush(stderr);
  shown_ = true;
}

void ProgressDisplay::clear() {
  if (!shown_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace patchbay::cli
