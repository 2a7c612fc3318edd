// builtin.Passthrough: sends each value of `x` on `y`, unchanged and uncopied.
#include <patchbay/patchbay.hpp>

namespace patchbay::builtin {

class Passthrough : public Component {
 public:
  Input<Any> x{this, "x"};
  Output<Any> y{this, "y"};
  explicit Passthrough(const Args& args) : Component(args) {}
  void step() override { y = x; }
};

PATCHBAY_COMPONENT(Passthrough, "builtin.Passthrough", "passes x to y unchanged");

}  // namespace patchbay::builtin
