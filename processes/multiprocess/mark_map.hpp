// Not API: workers read the model from YAML the coordinator wrote, not from the user's
// file, so the places in their errors point into that text. A MarkMap takes each place in
// the text back to the same part of the model in the file (or to no line, rather than a
// wrong one).
#pragma once

#include <map>
#include <utility>
#include <vector>

#include "patchbay/model.hpp"

namespace patchbay::detail {

class MarkMap {
 public:
  // `sent` is the model read back from the text; `original` the model it was written from.
  MarkMap(const Model& sent, const Model& original);
  void relocate(std::vector<Error>& errors) const;

 private:
  void pair(const SourceMark& sent, const SourceMark& original);
  template <class Marks>
  void pair_all(const Marks& sent, const Marks& original) {
    for (const auto& [key, mark] : sent)
      if (auto it = original.find(key); it != original.end()) pair(mark, it->second);
  }

  std::string file_;
  std::map<std::pair<int, int>, SourceMark> to_original_;
};

}  // namespace patchbay::detail
