// builtin.Printer: prints one line per step to standard output.
#include <patchbay/patchbay.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace patchbay::builtin {

class Printer : public Component {
 public:
  Param<std::vector<std::string>> input_names{this, "inputs", {"x"}, "names of the inputs to print"};
  Param<std::string> prefix{this, "prefix", "", "text printed before each line"};

  explicit Printer(const Args& args) : Component(args) {
    // With no input it would never step, and never end.
    if (input_names->empty() && !args.describing()) args.fail("inputs", "argument 'inputs' names no input");
    for (const auto& n : *input_names) ports_.push_back(&add_input<Any>(n));
  }

  void step() override {
    std::string line = *prefix;
    for (auto* p : ports_) {
      if (ports_.size() > 1) line += (line.empty() || line == *prefix ? "" : " ") + p->name() + "=";
      Value v = p->to_value();
      line += v.is_string() ? v.as_string() : v.dump();
    }
    line += '\n';
    if (std::fputs(line.c_str(), stdout) == EOF) fail_write();
  }

  void stop() override {
    if (std::fflush(stdout) == EOF) fail_write();
  }

 private:
  [[noreturn]] static void fail_write() {
    throw std::runtime_error(std::string("cannot write to standard output: ") + std::strerror(errno));
  }

  std::vector<Input<Any>*> ports_;
};

PATCHBAY_COMPONENT(Printer, "builtin.Printer", "prints its inputs to standard output, one line per step");

}  // namespace patchbay::builtin
