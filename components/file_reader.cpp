// builtin.FileReader: reads a CSV or JSON Lines file, one record per step, and sends each
// column on the output of the same name; closes at the end of the file. The outputs are
// the `columns` given, or the CSV header when none are given.
#include <patchbay/patchbay.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "text_format.hpp"

namespace patchbay::builtin {

class FileReader : public Component {
 public:
  Param<Path> path{this, "path", required, "the file to read (relative: to the model file's folder)"};
  Param<std::string> format{this, "format", "auto", "csv, jsonl, or auto (by extension)"};
  Param<std::vector<std::string>> columns{this, "columns", std::vector<std::string>{}, "columns to send (default: the CSV header)"};
  Param<std::int64_t> max_line{this, "max_line", 16 << 20, "longest line read, in bytes"};

  explicit FileReader(const Args& args) : Component(args) {
    if (args.describing()) return;
    if (*max_line < 1) args.fail("max_line", "argument 'max_line' must be at least 1");
    format_ = text_format(*format, *path);
    std::vector<std::string> names = *columns;
    if (names.empty()) {
      if (format_ == TextFormat::jsonl) throw std::invalid_argument("a JSON Lines file needs 'columns'");
      // The ports must exist before the run, so the header is read now.
      std::ifstream in = open(*path);
      std::string header;
      if (!read(in, header)) throw std::invalid_argument("cannot read the header of '" + path->str() + "': the file is empty");
      names = split_csv(header);
    }
    for (const auto& n : names) ports_.push_back(&add_output<Value>(n));
  }

  void init() override {
    in_ = open(*path);
    if (format_ == TextFormat::csv) {
      std::string header;
      read(in_, header);
      ++line_number_;
      auto fields = split_csv(header);
      for (const auto* p : ports_) {
        auto it = std::find(fields.begin(), fields.end(), p->name());
        if (it == fields.end()) throw std::runtime_error("'" + path->str() + "' has no column '" + p->name() + "'");
        index_.push_back(static_cast<std::size_t>(it - fields.begin()));
      }
    }
  }

  void step() override {
    std::string line;
    do {
      if (!read(in_, line)) return close();
      ++line_number_;
    } while (line.empty() || line == "\r");
    std::string where = path->str() + ":" + std::to_string(line_number_) + ": ";
    if (format_ == TextFormat::csv) {
      auto fields = split_csv(line);
      for (std::size_t i = 0; i < ports_.size(); ++i) {
        if (index_[i] >= fields.size())
          throw std::runtime_error(where + "expected at least " + std::to_string(index_[i] + 1) + " fields");
        *ports_[i] = csv_field_value(fields[index_[i]]);
      }
    } else {
      Value record;
      try {
        record = parse_json_line(line);
      } catch (const std::exception& e) {
        throw std::runtime_error(where + e.what());
      }
      for (auto* p : ports_) {
        const Value* v = record.find(p->name());
        *p = v ? *v : Value();
      }
    }
  }

 private:
  // The file, or an error that says why not (a folder reads as nothing at all).
  static std::ifstream open(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw std::runtime_error("cannot read '" + path + "': it is a folder");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open '" + path + "': " + std::strerror(errno));
    return in;
  }

  // One line, within max_line; read errors name the file and the line.
  bool read(std::istream& in, std::string& line) {
    try {
      bool got = read_line(in, line, static_cast<std::size_t>(*max_line));
      if (in.bad()) throw std::runtime_error(std::strerror(errno));
      return got;
    } catch (const std::exception& e) {
      throw std::runtime_error(path->str() + ":" + std::to_string(line_number_ + 1) + ": " + e.what());
    }
  }

  TextFormat format_ = TextFormat::csv;
  std::vector<Output<Value>*> ports_;
  std::vector<std::size_t> index_;
  std::ifstream in_;
  std::size_t line_number_ = 0;
};

PATCHBAY_COMPONENT(FileReader, "builtin.FileReader", "reads CSV or JSON Lines records; one output per column");

}  // namespace patchbay::builtin
