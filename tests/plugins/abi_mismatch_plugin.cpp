// A plugin built for another plugin ABI: the loader must refuse it before taking its types.
#include <patchbay/patchbay.hpp>
#include <patchbay/plugin.hpp>

namespace {
class Thing : public patchbay::Component {
 public:
  explicit Thing(const patchbay::Args& args) : Component(args) {}
  void step() override {}
};
}  // namespace

PATCHBAY_COMPONENT(Thing, "abimismatch.Thing", "never registered: the ABI does not match");

extern "C" __attribute__((visibility("default"))) int patchbay_plugin_abi() {
  return patchbay::kPluginAbiVersion + 1;
}
