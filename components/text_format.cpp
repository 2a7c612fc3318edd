#include "text_format.hpp"

#include <cmath>
#include <stdexcept>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <patchbay/json.hpp>

namespace patchbay::builtin {

TextFormat text_format(const std::string& name, const std::string& path) {
  if (name == "csv") return TextFormat::csv;
  if (name == "jsonl") return TextFormat::jsonl;
  if (name != "auto") throw std::invalid_argument("'format' must be auto, csv or jsonl, got '" + name + "'");
  auto ends = [&](const char* ext) {
    std::string e(ext);
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  return ends(".jsonl") || ends(".ndjson") || ends(".json") ? TextFormat::jsonl : TextFormat::csv;
}

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  fields.push_back(std::move(field));
  return fields;
}

Value csv_field_value(const std::string& f) {
  if (f.empty()) return Value(f);
  if (f == "true") return Value(true);
  if (f == "false") return Value(false);
  const char* begin = f.c_str();
  char* end = nullptr;
  errno = 0;
  long long i = std::strtoll(begin, &end, 10);
  if (errno == 0 && end == begin + f.size()) return Value(static_cast<std::int64_t>(i));
  errno = 0;
  double d = std::strtod(begin, &end);
  if (errno == 0 && end == begin + f.size() && f.find_first_not_of("0123456789+-.eE") == std::string::npos)
    return Value(d);
  // As csv_field writes the numbers JSON has no words for.
  if (f == "inf") return Value(HUGE_VAL);
  if (f == "-inf") return Value(-HUGE_VAL);
  if (f == "nan") return Value(std::nan(""));
  return Value(f);
}

std::string csv_field(const Value& v) {
  if (v.kind() == Value::Kind::real && !std::isfinite(v.as_double()))
    return std::isnan(v.as_double()) ? "nan" : v.as_double() > 0 ? "inf" : "-inf";
  std::string text = v.is_string() ? v.as_string() : v.dump();
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

bool read_line(std::istream& in, std::string& line, std::size_t max) {
  line.clear();
  std::streambuf* buffer = in.rdbuf();
  if (buffer == nullptr || !in.good()) return false;
  for (;;) {
    int c = buffer->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      return !line.empty();
    }
    if (c == '\n') return true;
    if (line.size() >= max)
      throw std::length_error("a line longer than " + std::to_string(max) + " bytes (max_line raises the limit)");
    line.push_back(static_cast<char>(c));
  }
}

Value parse_json_line(const std::string& line) {
  try {
    return from_json_value(nlohmann::json::parse(line));
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("not valid JSON: ") + e.what());
  }
}

}  // namespace patchbay::builtin
