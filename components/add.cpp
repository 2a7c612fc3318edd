// builtin.Add: sum = a + b.
#include <patchbay/patchbay.hpp>

namespace patchbay::builtin {

class Add : public Component {
 public:
  Input<double> a{this, "a"};
  Input<double> b{this, "b"};
  Output<double> sum{this, "sum"};
  explicit Add(const Args& args) : Component(args) {}
  void step() override { sum = *a + *b; }
};

PATCHBAY_COMPONENT(Add, "builtin.Add", "adds a and b into sum");

}  // namespace patchbay::builtin
