// A plugin whose component's constructor throws: loading works, and a model using the
// component fails to load with an error naming the component.
#include <patchbay/patchbay.hpp>
#include <patchbay/plugin.hpp>

#include <stdexcept>

namespace {
class Device : public patchbay::Component {
 public:
  patchbay::Param<std::string> path{this, "path", "/dev/patchbay-test", "the device to open"};
  patchbay::Output<double> y{this, "y"};

  explicit Device(const patchbay::Args& args) : Component(args) {
    throw std::runtime_error("cannot open " + *path + ": no such device");
  }
  void step() override {}
};
}  // namespace

PATCHBAY_COMPONENT(Device, "throwing.Device", "a source whose constructor always throws");
PATCHBAY_PLUGIN()
