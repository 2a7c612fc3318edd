// Uses patchbay as a library: defines a component type, builds a model in C++, checks it,
// saves it as YAML and reads it back, then runs it and prints the summary.
//
//   source.x ──> average.x ── mean ──> writer.mean   (a CSV file)
//
// Usage: example_moving_average [OUT.csv] [OUT.yaml]
#include <cstdint>
#include <deque>
#include <iostream>
#include <stdexcept>
#include <string>

#include <patchbay/model.hpp>
#include <patchbay/model_yaml.hpp>
#include <patchbay/patchbay.hpp>
#include <patchbay/process.hpp>

namespace example {

// The mean of the last `window` values of x. Sends nothing until the window is full, so
// n inputs give n - window + 1 means.
class MovingAverage : public patchbay::Component {
 public:
  patchbay::Param<std::int64_t> window{this, "window", 3, "how many of the latest values to average"};
  // builtin.Iterator sends int64, and patchbay does not widen int64 to double on a
  // connector (the port type is the contract), so this input takes int64.
  patchbay::Input<std::int64_t> x{this, "x"};
  patchbay::Output<double> mean{this, "mean"};

  explicit MovingAverage(const patchbay::Args& args) : Component(args) {
    if (*window < 1) throw std::invalid_argument("'window' must be 1 or more");
  }

  void step() override {
    values_.push_back(*x);
    sum_ += *x;
    if (values_.size() > static_cast<std::size_t>(*window)) {
      sum_ -= values_.front();
      values_.pop_front();
    }
    if (values_.size() == static_cast<std::size_t>(*window))
      mean = static_cast<double>(sum_) / static_cast<double>(*window);
  }

 private:
  std::deque<std::int64_t> values_;
  std::int64_t sum_ = 0;
};

PATCHBAY_COMPONENT(MovingAverage, "example.MovingAverage", "the mean of the last window values of x");

}  // namespace example

int main(int argc, char** argv) {
  const std::string csv_path = argc > 1 ? argv[1] : "moving-average.csv";
  const std::string yaml_path = argc > 2 ? argv[2] : "moving-average.yaml";

  patchbay::Model model;
  model.add_component("builtin.Iterator", "source", {{"iters", 10}});
  model.add_component("example.MovingAverage", "average", {{"window", 3}});
  model.add_component("builtin.FileWriter", "writer",
                      {{"path", csv_path}, {"fields", patchbay::Value::array({"mean"})}});
  model.connect("source.x", "average.x");
  model.connect("average.mean", "writer.mean");

  // Load-time checks, without running anything: types, arguments, ports, wiring.
  if (auto errors = patchbay::check_model(model); !errors.empty()) {
    std::cerr << patchbay::format_errors(errors) << "\n";
    return 2;
  }

  // The same model as YAML. Reading it back gives an equal model (the CLI could run it
  // only if example.MovingAverage were in a plugin it loads).
  try {
    patchbay::save_model_file(model, yaml_path);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  patchbay::LoadResult loaded = patchbay::load_model_file(yaml_path);
  if (!loaded.ok()) {
    std::cerr << patchbay::format_errors(loaded.errors) << "\n";
    return 2;
  }
  if (!(loaded.model == model)) {
    std::cerr << yaml_path << ": the model read back differs from the one saved\n";
    return 1;
  }
  std::cout << "round-trip ok: " << yaml_path << "\n";

  patchbay::RunReport report = patchbay::run(model);
  std::cout << patchbay::format_summary(report);
  if (!report.ok) {
    std::cerr << "example_moving_average: " << report.error << "\n";
    return 1;
  }
  std::cout << "wrote " << csv_path << "\n";
  return 0;
}
