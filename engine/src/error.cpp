#include "patchbay/error.hpp"

namespace patchbay {

std::string SourceMark::str() const {
  if (!known()) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Error::str() const {
  if (!where.known() && where.file.empty()) return message;
  return where.str() + ": " + message;
}

std::string format_errors(const std::vector<Error>& errors) {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty()) out += '\n';
    out += e.str();
  }
  return out;
}

ModelError::ModelError(std::vector<Error> errors)
    : std::runtime_error(format_errors(errors)), errors_(std::move(errors)) {}

}  // namespace patchbay
