// Not API: small helpers shared by the engine's sources.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patchbay::detail {

// "a, b, c" (or with another separator).
inline std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// "connector a.y -> b.x: what", unless `what` names it already.
inline std::string about_connector(const std::string& connector, const std::string& what) {
  std::string prefix = "connector " + connector;
  return what.rfind(prefix, 0) == 0 ? what : prefix + ": " + what;
}

// Replaces the value under `key` in an ordered list of pairs, or appends it.
template <class V>
V& set_entry(std::vector<std::pair<std::string, V>>& entries, std::string key, V value) {
  for (auto& [k, existing] : entries) {
    if (k == key) {
      existing = std::move(value);
      return existing;
    }
  }
  entries.emplace_back(std::move(key), std::move(value));
  return entries.back().second;
}

}  // namespace patchbay::detail
