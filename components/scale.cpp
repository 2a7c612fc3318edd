// builtin.Scale: y = x * factor + offset (unit conversions, calibration).
#include <patchbay/patchbay.hpp>

namespace patchbay::builtin {

class Scale : public Component {
 public:
  Param<double> factor{this, "factor", 1.0, "multiplies x"};
  Param<double> offset{this, "offset", 0.0, "added after multiplying"};
  Input<double> x{this, "x"};
  Output<double> y{this, "y"};
  explicit Scale(const Args& args) : Component(args) {}
  void step() override { y = *x * *factor + *offset; }
};

PATCHBAY_COMPONENT(Scale, "builtin.Scale", "y = x * factor + offset");

}  // namespace patchbay::builtin
