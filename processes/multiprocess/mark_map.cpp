#include "mark_map.hpp"

namespace patchbay::detail {

MarkMap::MarkMap(const Model& sent, const Model& original) : file_(original.file()) {
  pair(sent.process().mark, original.process().mark);
  pair_all(sent.connector_builder().option_marks, original.connector_builder().option_marks);
  for (std::size_t i = 0; i < sent.components().size() && i < original.components().size(); ++i) {
    const ComponentSpec& s = sent.components()[i];
    const ComponentSpec& o = original.components()[i];
    pair(s.mark, o.mark);
    pair(s.type_mark, o.type_mark);
    pair(s.name_mark, o.name_mark);
    pair_all(s.arg_marks, o.arg_marks);
    pair_all(s.initial_value_marks, o.initial_value_marks);
  }
  for (std::size_t i = 0; i < sent.connectors().size() && i < original.connectors().size(); ++i) {
    const ConnectorSpec& s = sent.connectors()[i];
    const ConnectorSpec& o = original.connectors()[i];
    pair(s.mark, o.mark);
    pair(s.source_mark, o.source_mark);
    pair(s.target_mark, o.target_mark);
    if (s.channel && o.channel) pair_all(s.channel->option_marks, o.channel->option_marks);
  }
}

void MarkMap::pair(const SourceMark& sent, const SourceMark& original) {
  if (sent.known()) to_original_.emplace(std::pair(sent.line, sent.column), original);
}

void MarkMap::relocate(std::vector<Error>& errors) const {
  for (auto& e : errors) {
    if (!e.where.known()) continue;
    auto it = to_original_.find({e.where.line, e.where.column});
    if (it != to_original_.end()) {
      e.where = it->second;
    } else {
      e.where = SourceMark{};
      e.where.file = file_;
    }
  }
}

}  // namespace patchbay::detail
