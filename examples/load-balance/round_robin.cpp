// loadbalance.RoundRobin: the static split replicas are compared with: task i goes to
// output pair i % ways, whoever is busy.
#include <patchbay/patchbay.hpp>

namespace {

class RoundRobin : public patchbay::Component {
 public:
  patchbay::Param<std::int64_t> ways{this, "ways", std::int64_t{12}, "how many outputs (id_K, seconds_K) to deal to"};
  patchbay::Input<std::int64_t> id{this, "id"};
  patchbay::Input<double> seconds{this, "seconds"};

  explicit RoundRobin(const patchbay::Args& args) : Component(args) {
    if (*ways < 1 || *ways > 4096) {
      args.fail("ways", "must be from 1 to 4096");
      return;
    }
    for (std::int64_t k = 0; k < *ways; ++k) {
      ids_.push_back(&add_output<std::int64_t>("id_" + std::to_string(k)));
      durations_.push_back(&add_output<double>("seconds_" + std::to_string(k)));
    }
  }
  void step() override {
    *ids_[next_] = *id;
    *durations_[next_] = *seconds;
    next_ = (next_ + 1) % ids_.size();
  }

 private:
  std::vector<patchbay::Output<std::int64_t>*> ids_;
  std::vector<patchbay::Output<double>*> durations_;
  std::size_t next_ = 0;
};
PATCHBAY_COMPONENT(RoundRobin, "loadbalance.RoundRobin", "deals each task to the next of `ways` output pairs in turn");

}  // namespace
