// builtin.Timestamper: when every input holds a new value, emits the current UTC time
// (ISO 8601, microseconds) on `timestamp`. Joins branches and records when they met.
#include <patchbay/patchbay.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace patchbay::builtin {

class Timestamper : public Component {
 public:
  Param<std::vector<std::string>> input_names{this, "inputs", {"x"}, "names of the inputs to join"};
  Output<std::string> timestamp{this, "timestamp"};

  explicit Timestamper(const Args& args) : Component(args) {
    for (const auto& n : *input_names) add_input<Any>(n);
  }

  void step() override {
    auto now = std::chrono::system_clock::now();
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(micros / 1000000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(micros % 1000000));
    timestamp = std::string(buf);
  }
};

PATCHBAY_COMPONENT(Timestamper, "builtin.Timestamper", "emits the UTC time (ISO 8601) when all inputs arrive");

}  // namespace patchbay::builtin
