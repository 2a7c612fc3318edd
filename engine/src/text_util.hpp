// Not API: small helpers shared by the engine's sources.
#pragma once

#include <algorithm>
#include <cctype>
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

// Edits (insert, delete, substitute; case ignored) from a to b, for "did you mean".
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
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
