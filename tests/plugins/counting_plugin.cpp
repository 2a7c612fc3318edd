// A component that records every construction: the construction-count tests check that a
// run builds each component once, in the process that runs it.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include <patchbay/patchbay.hpp>
#include <patchbay/plugin.hpp>

namespace {

class Counted : public patchbay::Component {
 public:
  patchbay::Param<std::string> log{this, "log", patchbay::required, "file that gets a line 'PID NAME' per construction"};
  patchbay::Input<std::int64_t> x{this, "x"};
  patchbay::Output<std::int64_t> y{this, "y"};

  explicit Counted(const patchbay::Args& args) : Component(args) {
    if (args.describing()) return;
    // One write of one line with O_APPEND: lines from several processes do not mix.
    std::string line = std::to_string(getpid()) + " " + args.component_name() + "\n";
    int fd = ::open(log->c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) throw std::runtime_error("cannot open " + *log);
    ssize_t written = ::write(fd, line.data(), line.size());
    ::close(fd);
    if (written != static_cast<ssize_t>(line.size())) throw std::runtime_error("cannot write " + *log);
  }
  void step() override { y = *x; }
};

}  // namespace

PATCHBAY_COMPONENT(Counted, "counting.Counted", "passes x to y; logs each construction");
PATCHBAY_PLUGIN()
