// builtin.Add: sum = a + b, for any numbers. Integers add as integers; if either side is
// a floating-point number the sum is one too. (Value ports accept any typed number.)
#include <patchbay/patchbay.hpp>

namespace patchbay::builtin {

class Add : public Component {
 public:
  Input<Value> a{this, "a"};
  Input<Value> b{this, "b"};
  Output<Value> sum{this, "sum"};
  explicit Add(const Args& args) : Component(args) {}
  void step() override {
    if (!a->is_number() || !b->is_number())
      throw std::invalid_argument("expected numbers, got " + a->describe() + " and " + b->describe());
    if (a->is_int() && b->is_int()) sum = Value(a->as_int() + b->as_int());
    else sum = Value(a->as_double() + b->as_double());
  }
};

PATCHBAY_COMPONENT(Add, "builtin.Add", "adds the numbers a and b into sum");

}  // namespace patchbay::builtin
