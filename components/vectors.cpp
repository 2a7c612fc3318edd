// builtin.Vectors: emits `count` arrays of `size` doubles on `v`, array i holding i, i+1,
// ...; builtin.VectorSum: the sum of each array. Together they move large values (a
// 4 MB array is size 524288) between components, or processes, and check they arrived.
#include <patchbay/patchbay.hpp>

#include <numeric>

namespace patchbay::builtin {

class Vectors : public Component {
 public:
  Param<std::int64_t> count{this, "count", 10, "how many arrays to emit"};
  Param<std::int64_t> size{this, "size", 1024, "doubles in each array"};
  Output<std::vector<double>> v{this, "v"};

  explicit Vectors(const Args& args) : Component(args) {
    if (*count < 0 || *size < 0) throw std::invalid_argument("'count' and 'size' must be 0 or more");
  }

  void step() override {
    if (i_ == *count) return close();
    std::vector<double> a(static_cast<std::size_t>(*size));
    std::iota(a.begin(), a.end(), static_cast<double>(i_));
    v = std::move(a);
    if (++i_ == *count) close();
  }

 private:
  std::int64_t i_ = 0;
};

class VectorSum : public Component {
 public:
  Input<std::vector<double>> v{this, "v"};
  Output<double> sum{this, "sum"};
  explicit VectorSum(const Args& args) : Component(args) {}
  void step() override { sum = std::accumulate(v->begin(), v->end(), 0.0); }
};

PATCHBAY_COMPONENT(Vectors, "builtin.Vectors", "emits count arrays of size doubles on v");
PATCHBAY_COMPONENT(VectorSum, "builtin.VectorSum", "sums each array of doubles");

}  // namespace patchbay::builtin
