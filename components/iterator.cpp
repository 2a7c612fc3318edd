// builtin.Iterator: emits start, start+1, ... (iters values) on `x`, then closes.
#include <patchbay/patchbay.hpp>

#include <limits>
#include <string>

namespace patchbay::builtin {

class Iterator : public Component {
 public:
  Param<std::int64_t> iters{this, "iters", 10, "how many values to emit"};
  Param<std::int64_t> start{this, "start", 0, "the first value"};
  Output<std::int64_t> x{this, "x"};

  explicit Iterator(const Args& args) : Component(args) {
    if (*iters < 0) throw std::invalid_argument("'iters' must be 0 or more");
    // The last value, start + iters - 1, must be an int64 too.
    if (*iters > 0 && *start > std::numeric_limits<std::int64_t>::max() - (*iters - 1))
      args.fail("start", "argument 'start': start + iters - 1 does not fit in an int64 (start " +
                             std::to_string(*start) + ", iters " + std::to_string(*iters) + ")");
  }

  void step() override {
    if (i_ == *iters) return close();
    x = *start + i_++;
    if (i_ == *iters) close();
  }

 private:
  std::int64_t i_ = 0;
};

PATCHBAY_COMPONENT(Iterator, "builtin.Iterator", "emits iters integers from start on x, then closes");

}  // namespace patchbay::builtin
