// builtin.Checksum: counts and sums int64 values; at the end writes
// {"count": N, "sum": S, "ordered": B} to `path`, where ordered says each value was one
// more than the one before. Proves that nothing was lost, duplicated or reordered.
#include <patchbay/patchbay.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <fstream>

namespace patchbay::builtin {

__extension__ using Int128 = __int128;  // GCC and Clang; not in ISO C++
__extension__ using UInt128 = unsigned __int128;

class Checksum : public Component {
 public:
  Param<std::string> path{this, "path", required, "where to write the JSON result"};
  Input<std::int64_t> x{this, "x"};

  explicit Checksum(const Args& args) : Component(args) {}

  void step() override {
    std::int64_t v = *x;
    // last_ + 1 would overflow after INT64_MAX: nothing can follow it in order.
    if (count_ > 0 && (last_ == std::numeric_limits<std::int64_t>::max() || v != last_ + 1)) ordered_ = false;
    last_ = v;
    sum_ += v;
    ++count_;
  }

  void stop() override {
    std::ofstream out(*path, std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write '" + *path + "': " + std::strerror(errno));
    out << "{\"count\":" << count_ << ",\"sum\":" << decimal(sum_) << ",\"ordered\":" << (ordered_ ? "true" : "false")
        << "}\n";
    if (!out.flush()) throw std::runtime_error("cannot write '" + *path + "': " + std::strerror(errno));
  }

 private:
  // The sum is exact however large the values: 128 bits hold 2^64 values of int64.
  static std::string decimal(Int128 v) {
    if (v == 0) return "0";
    bool negative = v < 0;
    UInt128 u = negative ? -static_cast<UInt128>(v) : static_cast<UInt128>(v);
    std::string digits;
    while (u > 0) {
      digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
      u /= 10;
    }
    return negative ? "-" + digits : digits;
  }

  std::int64_t count_ = 0, last_ = 0;
  Int128 sum_ = 0;
  bool ordered_ = true;
};

PATCHBAY_COMPONENT(Checksum, "builtin.Checksum", "counts, sums and checks the order of int64 values");

}  // namespace patchbay::builtin
