// builtin.Sleep: waits `seconds`, then passes `x` to `y`. Stands in for slow work or I/O.
#include <patchbay/patchbay.hpp>

#include <cmath>

namespace patchbay::builtin {

class Sleep : public Component {
 public:
  Param<double> seconds{this, "seconds", 1.0, "how long each step sleeps"};
  Input<Any> x{this, "x"};
  Output<Any> y{this, "y"};

  // A day per step at most: a longer or non-finite wait is a typo, not a model.
  static constexpr double kMaxSeconds = 86400;

  explicit Sleep(const Args& args) : Component(args) {
    if (!std::isfinite(*seconds) || *seconds < 0 || *seconds > kMaxSeconds)
      args.fail("seconds", "argument 'seconds' must be from 0 to 86400, got " + Value(*seconds).describe());
  }

  void step() override {
    if (sleep_for(std::chrono::duration<double>(*seconds))) y = x;
  }
};

PATCHBAY_COMPONENT(Sleep, "builtin.Sleep", "sleeps for seconds, then passes x to y");

}  // namespace patchbay::builtin
