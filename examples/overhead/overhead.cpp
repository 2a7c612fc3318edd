// The overhead example's components: a source that deals messages to `objects` outputs in
// turn, the stateful object that spends `seconds` of CPU on each, and a sink that checks
// every object saw its share.
#include <patchbay/patchbay.hpp>
#include <patchbay/plugin.hpp>

#include <stdexcept>

#include "work.hpp"

namespace {

class Messages : public patchbay::Component {
 public:
  patchbay::Param<std::int64_t> count{this, "count", std::int64_t{160000}, "messages in all"};
  patchbay::Param<std::int64_t> objects{this, "objects", std::int64_t{16}, "outputs m0 .. m{objects-1}, dealt in turn"};

  explicit Messages(const patchbay::Args& args) : Component(args) {
    if (*objects < 1 || *objects > 4096) {
      args.fail("objects", "must be from 1 to 4096");
      return;
    }
    if (*count < 0 || *count % *objects != 0) args.fail("count", "must be 0 or more, a multiple of objects");
    for (std::int64_t k = 0; k < *objects; ++k) outputs_.push_back(&add_output<std::int64_t>("m" + std::to_string(k)));
  }
  void init() override {
    if (*count == 0) close();
  }
  void step() override {
    *outputs_[static_cast<std::size_t>(sent_ % *objects)] = sent_;
    if (++sent_ == *count) close();
  }

 private:
  std::vector<patchbay::Output<std::int64_t>*> outputs_;
  std::int64_t sent_ = 0;
};
PATCHBAY_COMPONENT(Messages, "overhead.Messages", "deals `count` messages to `objects` outputs in turn");

class Object : public patchbay::Component {
 public:
  patchbay::Param<double> seconds{this, "seconds", 1e-5, "CPU time each message costs"};
  patchbay::Input<std::int64_t> m{this, "m"};
  patchbay::Output<std::int64_t> done{this, "done"};

  explicit Object(const patchbay::Args& args) : Component(args) {
    if (!(*seconds >= 0 && *seconds <= 10)) args.fail("seconds", "must be from 0 to 10");
  }
  void step() override {
    overhead::work(state_, *m, *seconds);
    done = static_cast<std::int64_t>(state_.messages);
  }

 private:
  overhead::State state_;
};
PATCHBAY_COMPONENT(Object, "overhead.Object", "a stateful object: spends `seconds` of CPU on each message");

// Checks that each object's count arrives in order (1, 2, 3, ...) and adds up to `count`.
class Tally : public patchbay::Component {
 public:
  patchbay::Param<std::int64_t> count{this, "count", std::int64_t{160000}, "messages expected in all"};
  patchbay::Param<std::int64_t> objects{this, "objects", std::int64_t{16}, "inputs d0 .. d{objects-1}"};

  explicit Tally(const patchbay::Args& args) : Component(args) {
    for (std::int64_t k = 0; k < std::max<std::int64_t>(1, std::min<std::int64_t>(*objects, 4096)); ++k)
      inputs_.push_back(&add_input<std::int64_t>("d" + std::to_string(k)));
  }
  void step() override {
    ++rows_;
    for (auto* in : inputs_)
      if (**in != rows_) throw std::runtime_error("an object's count skipped: " + std::to_string(**in) + " at row " + std::to_string(rows_));
  }
  void stop() override {
    if (rows_ * static_cast<std::int64_t>(inputs_.size()) != *count)
      throw std::runtime_error("got " + std::to_string(rows_ * static_cast<std::int64_t>(inputs_.size())) +
                               " messages, expected " + std::to_string(*count));
  }

 private:
  std::vector<patchbay::Input<std::int64_t>*> inputs_;
  std::int64_t rows_ = 0;
};
PATCHBAY_COMPONENT(Tally, "overhead.Tally", "checks that every object handled its share, in order");

}  // namespace

PATCHBAY_PLUGIN()
