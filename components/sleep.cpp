// builtin.Sleep: waits `seconds`, then passes `x` to `y`. Stands in for slow work or I/O.
#include <patchbay/patchbay.hpp>

namespace patchbay::builtin {

class Sleep : public Component {
 public:
  Param<double> seconds{this, "seconds", 1.0, "how long each step sleeps"};
  Input<Any> x{this, "x"};
  Output<Any> y{this, "y"};

  explicit Sleep(const Args& args) : Component(args) {
    if (*seconds < 0) throw std::invalid_argument("'seconds' must be 0 or more");
  }

  void step() override {
    if (sleep_for(std::chrono::duration<double>(*seconds))) y = x;
  }
};

PATCHBAY_COMPONENT(Sleep, "builtin.Sleep", "sleeps for seconds, then passes x to y");

}  // namespace patchbay::builtin
