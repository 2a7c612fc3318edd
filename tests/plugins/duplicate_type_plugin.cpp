// A plugin that registers a new type and one that is already taken (builtin.Scale): the
// loader must refuse it whole, so dup.Fresh is not registered either.
#include <patchbay/patchbay.hpp>
#include <patchbay/plugin.hpp>

namespace {
class Thing : public patchbay::Component {
 public:
  explicit Thing(const patchbay::Args& args) : Component(args) {}
  void step() override {}
};
}  // namespace

PATCHBAY_COMPONENT(Thing, "dup.Fresh", "a new name");
PATCHBAY_COMPONENT(Thing, "builtin.Scale", "a name that is already taken");
PATCHBAY_PLUGIN()
