// threshold.Above: passes on the values of x that are above `limit` (or equal to it, with
// `inclusive: true`); the others are dropped.
#include <patchbay/patchbay.hpp>
#include <patchbay/plugin.hpp>

#include <cstdint>

class Above : public patchbay::Component {
 public:
  patchbay::Param<std::int64_t> limit{this, "limit", 0, "values above this pass"};
  patchbay::Param<bool> inclusive{this, "inclusive", false, "let values equal to limit pass too"};
  patchbay::Input<std::int64_t> x{this, "x"};
  patchbay::Output<std::int64_t> y{this, "y"};

  explicit Above(const patchbay::Args& args) : Component(args) {}

  void step() override {
    if (*x > *limit || (*inclusive && *x == *limit)) y = *x;  // unassigned: nothing is sent
  }
};

PATCHBAY_COMPONENT(Above, "threshold.Above", "passes x on when it is above limit");
PATCHBAY_PLUGIN()
