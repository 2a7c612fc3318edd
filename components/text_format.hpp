// CSV and JSON Lines, shared by builtin.FileReader and builtin.FileWriter.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include <patchbay/value.hpp>

namespace patchbay::builtin {

enum class TextFormat { csv, jsonl };

// "csv", "jsonl", or "auto" (decided by the file's extension: .jsonl/.ndjson/.json are
// JSON Lines, anything else is CSV). Throws std::invalid_argument for other names.
TextFormat text_format(const std::string& name, const std::string& path);

// Splits one CSV record (RFC 4180 quoting; no newlines inside fields).
std::vector<std::string> split_csv(const std::string& line);
// A CSV field as a value: numbers and true/false become typed, the rest stays text.
Value csv_field_value(const std::string& field);
// A value as one CSV field, quoted when it has to be.
std::string csv_field(const Value& v);

// One JSON object per line.
Value parse_json_line(const std::string& line);

// Reads one line (without its end) into `line`; false at the end of the input. A line
// longer than `max` bytes throws std::length_error: a file without line ends must not
// be read into memory whole.
bool read_line(std::istream& in, std::string& line, std::size_t max);

}  // namespace patchbay::builtin
