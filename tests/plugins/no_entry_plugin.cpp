// A shared library that registers a component but lacks PATCHBAY_PLUGIN(): the loader
// must refuse it and register nothing.
#include <patchbay/patchbay.hpp>

namespace {
class Thing : public patchbay::Component {
 public:
  explicit Thing(const patchbay::Args& args) : Component(args) {}
  void step() override {}
};
}  // namespace

PATCHBAY_COMPONENT(Thing, "noentry.Thing", "never registered: the library has no entry point");
