// builtin.Busy: keeps a core busy for `seconds`, then passes `x` to `y`. Stands in for
// CPU-bound work.
#include <patchbay/patchbay.hpp>

namespace patchbay::builtin {

class Busy : public Component {
 public:
  Param<double> seconds{this, "seconds", 0.1, "CPU time spent in each step"};
  Input<Any> x{this, "x"};
  Output<Any> y{this, "y"};

  explicit Busy(const Args& args) : Component(args) {
    if (*seconds < 0) throw std::invalid_argument("'seconds' must be 0 or more");
  }

  void step() override {
    auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(*seconds);
    volatile std::uint64_t sink = 0;
    while (std::chrono::steady_clock::now() < until) {
      for (int i = 0; i < 1000; ++i) sink = sink + static_cast<std::uint64_t>(i);
      if (stop_requested()) return;
    }
    y = x;
  }
};

PATCHBAY_COMPONENT(Busy, "builtin.Busy", "spins the CPU for seconds, then passes x to y");

}  // namespace patchbay::builtin
