// builtin.FileWriter: writes one record per step, a field per input, to a CSV or JSON
// Lines file. The file is flushed and closed when the run ends, however it ends.
#include <patchbay/patchbay.hpp>

#include <cstring>
#include <fstream>

#include "text_format.hpp"

namespace patchbay::builtin {

class FileWriter : public Component {
 public:
  Param<std::string> path{this, "path", required, "the file to write (replaced)"};
  Param<std::vector<std::string>> fields{this, "fields", {"x"}, "the inputs, written as columns in this order"};
  Param<std::string> format{this, "format", "auto", "csv, jsonl, or auto (by extension)"};

  explicit FileWriter(const Args& args) : Component(args) {
    if (fields->empty()) throw std::invalid_argument("'fields' must name at least one input");
    for (const auto& f : *fields) ports_.push_back(&add_input<Any>(f));
    if (!args.describing()) format_ = text_format(*format, *path);
  }

  void init() override {
    out_.open(*path, std::ios::trunc);
    if (!out_) throw std::runtime_error("cannot write '" + *path + "': " + std::strerror(errno));
    if (format_ == TextFormat::csv) {
      std::string header;
      for (const auto* p : ports_) {
        if (!header.empty()) header += ',';
        header += csv_field(Value(p->name()));
      }
      out_ << header << '\n';
    }
  }

  void step() override {
    std::string line;
    if (format_ == TextFormat::csv) {
      for (const auto* p : ports_) {
        if (!line.empty()) line += ',';
        line += csv_field(p->to_value());
      }
    } else {
      Value record = Value::object();
      for (const auto* p : ports_) record.set(p->name(), p->to_value());
      line = record.dump();
    }
    out_ << line << '\n';
  }

  void stop() override {
    if (!out_.is_open()) return;
    out_.flush();
    bool ok = static_cast<bool>(out_);
    out_.close();
    if (!ok) throw std::runtime_error("cannot write '" + *path + "': " + std::strerror(errno));
  }

 private:
  TextFormat format_ = TextFormat::csv;
  std::vector<Input<Any>*> ports_;
  std::ofstream out_;
};

PATCHBAY_COMPONENT(FileWriter, "builtin.FileWriter", "writes its inputs as CSV or JSON Lines records");

}  // namespace patchbay::builtin
