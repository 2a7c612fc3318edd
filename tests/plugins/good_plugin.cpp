// A well-formed plugin with two component types, used by the loader and schema tests.
#include <patchbay/patchbay.hpp>
#include <patchbay/plugin.hpp>

#include <cstdint>
#include <string>

namespace {

class Gain : public patchbay::Component {
 public:
  patchbay::Param<double> gain{this, "gain", 2.0, "multiplies x"};
  patchbay::Param<std::int64_t> skip{this, "skip", 0, "values dropped at the start"};
  patchbay::Input<std::int64_t> x{this, "x"};
  patchbay::Output<double> y{this, "y"};

  explicit Gain(const patchbay::Args& args) : Component(args) {}
  void step() override {
    if (seen_++ >= *skip) y = static_cast<double>(*x) * *gain;
  }

 private:
  std::int64_t seen_ = 0;
};

class Label : public patchbay::Component {
 public:
  patchbay::Param<std::string> prefix{this, "prefix", patchbay::required, "text before each value"};
  patchbay::Input<double> x{this, "x"};
  patchbay::Output<std::string> text{this, "text"};

  explicit Label(const patchbay::Args& args) : Component(args) {}
  void step() override { text = *prefix + std::to_string(static_cast<long long>(*x)); }
};

}  // namespace

PATCHBAY_COMPONENT(Gain, "good.Gain", "y = x * gain, after skipping the first values");
PATCHBAY_COMPONENT(Label, "good.Label", "turns x into text with a prefix");
PATCHBAY_PLUGIN()
