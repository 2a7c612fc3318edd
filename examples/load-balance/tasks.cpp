// loadbalance.Tasks: the seed workload, one task per step (its number and how long it takes).
#include <patchbay/patchbay.hpp>

#include "schedule.hpp"

namespace {

class Tasks : public patchbay::Component {
 public:
  patchbay::Param<std::int64_t> count{this, "count", std::int64_t{146}, "how many tasks"};
  patchbay::Param<double> short_seconds{this, "short_seconds", 0.02, "how long a short task takes"};
  patchbay::Param<std::int64_t> long_every{this, "long_every", std::int64_t{12}, "every this many tasks, a long one"};
  patchbay::Param<double> long_factor{this, "long_factor", 5.0, "how many times longer a long task is"};
  patchbay::Output<std::int64_t> id{this, "id"};
  patchbay::Output<double> seconds{this, "seconds"};

  explicit Tasks(const patchbay::Args& args) : Component(args) {
    if (*count < 0 || *count > 10'000'000) args.fail("count", "must be from 0 to 10,000,000");
    if (!(*short_seconds >= 0 && *short_seconds <= 3600)) args.fail("short_seconds", "must be from 0 to 3600");
    if (!(*long_factor >= 0 && *long_factor <= 1000)) args.fail("long_factor", "must be from 0 to 1000");
  }
  void init() override {
    durations_ = loadbalance::task_durations(static_cast<int>(*count), *short_seconds, static_cast<int>(*long_every),
                                             *long_factor);
    if (durations_.empty()) close();
  }
  void step() override {
    id = static_cast<std::int64_t>(next_);
    seconds = durations_[next_];
    if (++next_ == durations_.size()) close();
  }

 private:
  std::vector<double> durations_;
  std::size_t next_ = 0;
};
PATCHBAY_COMPONENT(Tasks, "loadbalance.Tasks", "emits the tasks: a number and a duration each");

}  // namespace
