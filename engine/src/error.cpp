#include "patchbay/error.hpp"

#include <algorithm>

#include "text_util.hpp"

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

std::vector<std::string> closest_names(std::string_view name, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(1, name.size() / 3);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& c : candidates)
    if (std::size_t d = detail::edit_distance(name, c); d <= limit) scored.emplace_back(d, c);
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (const auto& [d, c] : scored)
    if (out.size() < 3 && d == scored.front().first) out.push_back(c);
  return out;
}

ModelError::ModelError(std::vector<Error> errors)
    : std::runtime_error(format_errors(errors)), errors_(std::move(errors)) {}

}  // namespace patchbay
