// builtin.Checksum: counts and sums int64 values; at the end writes
// {"count": N, "sum": S, "ordered": B} to `path`, where ordered says each value was one
// more than the one before. Proves that nothing was lost, duplicated or reordered.
#include <patchbay/patchbay.hpp>

#include <cstdio>
#include <fstream>

namespace patchbay::builtin {

class Checksum : public Component {
 public:
  Param<std::string> path{this, "path", required, "where to write the JSON result"};
  Input<std::int64_t> x{this, "x"};

  explicit Checksum(const Args& args) : Component(args) {}

  void step() override {
    std::int64_t v = *x;
    if (count_ > 0 && v != last_ + 1) ordered_ = false;
    last_ = v;
    sum_ += v;
    ++count_;
  }

  void stop() override {
    std::ofstream out(*path, std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + *path);
    out << "{\"count\":" << count_ << ",\"sum\":" << sum_ << ",\"ordered\":" << (ordered_ ? "true" : "false")
        << "}\n";
    if (!out.flush()) throw std::runtime_error("cannot write " + *path);
  }

 private:
  std::int64_t count_ = 0, sum_ = 0, last_ = 0;
  bool ordered_ = true;
};

PATCHBAY_COMPONENT(Checksum, "builtin.Checksum", "counts, sums and checks the order of int64 values");

}  // namespace patchbay::builtin
