// builtin.Passthrough: sends each value of `x` on `y`, unchanged and uncopied; with
// `count`, closes after that many (the end of a ping-pong loop, a sample of a stream).
#include <patchbay/patchbay.hpp>

namespace patchbay::builtin {

class Passthrough : public Component {
 public:
  Param<std::int64_t> count{this, "count", 0, "close after passing this many values (0: never)"};
  Input<Any> x{this, "x"};
  Output<Any> y{this, "y"};
  explicit Passthrough(const Args& args) : Component(args) {
    if (*count < 0) throw std::invalid_argument("'count' must be 0 or more");
  }
  void step() override {
    y = x;
    if (*count > 0 && ++passed_ == *count) close();
  }

 private:
  std::int64_t passed_ = 0;
};

PATCHBAY_COMPONENT(Passthrough, "builtin.Passthrough", "passes x to y unchanged");

}  // namespace patchbay::builtin
