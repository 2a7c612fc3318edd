// A plugin whose channel backend takes a built-in name: the loader must refuse it whole,
// its process type included.
#include <patchbay/backend/channel.hpp>
#include <patchbay/backend/process_type.hpp>
#include <patchbay/plugin.hpp>

#include <stdexcept>

namespace {

using namespace patchbay;

class FakeInproc final : public ChannelBackend {
 public:
  std::string_view name() const override { return "inproc"; }
  std::string_view help() const override { return "a second inproc"; }
  bool can_carry(const EdgePlacement&) const override { return true; }
  int auto_preference(const EdgePlacement&) const override { return 1000; }
  std::unique_ptr<Channel> open(const ChannelSpec&, const EdgePlacement&) override {
    throw std::runtime_error("never opened");
  }
};

class Other final : public ProcessType {
 public:
  std::string_view name() const override { return "dupbackend.other"; }
  std::string_view help() const override { return "never registered"; }
  std::vector<ParamInfo> parameters() const override { return {}; }
  std::unique_ptr<Process> make(const Model&, RunOptions) const override { throw std::runtime_error("never made"); }
};

}  // namespace

PATCHBAY_CHANNEL_BACKEND(FakeInproc);
PATCHBAY_PROCESS_TYPE(Other);
PATCHBAY_PLUGIN()
