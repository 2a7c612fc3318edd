// loadbalance.Work: runs one task per step (sleeps, or spins the CPU, for its duration) and
// reports who ran it when, as one record, so the records of many copies merge whole.
#include <chrono>

#include <patchbay/patchbay.hpp>

namespace {

double wall_seconds() {  // one time base for every worker on the host
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class Work : public patchbay::Component {
 public:
  patchbay::Param<bool> busy{this, "busy", false, "spin the CPU instead of sleeping"};
  patchbay::Input<std::int64_t> id{this, "id"};
  patchbay::Input<double> seconds{this, "seconds"};
  patchbay::Output<patchbay::Value> record{this, "record"};

  explicit Work(const patchbay::Args& args) : Component(args) {}
  void step() override {
    const double start = wall_seconds();
    if (*busy) {
      const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(*seconds);
      while (std::chrono::steady_clock::now() < until && !stop_requested()) {
      }
    } else {
      sleep_for(std::chrono::duration<double>(*seconds));
    }
    record = patchbay::Value(patchbay::Value::Object{{"id", patchbay::Value(*id)},
                                      {"who", patchbay::Value(name())},
                                      {"seconds", patchbay::Value(*seconds)},
                                      {"start", patchbay::Value(start)},
                                      {"end", patchbay::Value(wall_seconds())}});
  }
};
PATCHBAY_COMPONENT(Work, "loadbalance.Work", "runs a task (sleeps or spins for its duration) and reports when");

}  // namespace
