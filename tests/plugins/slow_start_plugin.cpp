// A plugin whose component takes a while in init(), so that in a multiprocess run values
// from another worker reach it before its run has started.
#include <patchbay/patchbay.hpp>
#include <patchbay/plugin.hpp>

#include <chrono>
#include <cstdint>
#include <thread>

namespace {

class SlowStart : public patchbay::Component {
 public:
  patchbay::Param<double> seconds{this, "seconds", 0.5, "how long init() takes"};
  patchbay::Input<std::int64_t> x{this, "x"};
  patchbay::Output<std::int64_t> y{this, "y"};

  explicit SlowStart(const patchbay::Args& args) : Component(args) {}
  void init() override { std::this_thread::sleep_for(std::chrono::duration<double>(*seconds)); }
  void step() override { y = *x; }
};

}  // namespace

PATCHBAY_COMPONENT(SlowStart, "slow.Start", "passes x on, after an init() of `seconds`");
PATCHBAY_PLUGIN()
