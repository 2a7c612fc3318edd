#include "model_limits.hpp"

#include <cstdlib>
#include <map>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

#include "value_yaml.hpp"

namespace patchbay::detail {

namespace {
// A limit from the environment (a positive integer), else its default.
std::size_t limit_from(const char* variable, std::size_t fallback) {
  if (const char* env = std::getenv(variable); env && *env) {
    char* end = nullptr;
    unsigned long long v = std::strtoull(env, &end, 10);
    if (end && *end == '\0' && v > 0) return static_cast<std::size_t>(v);
  }
  return fallback;
}
}  // namespace

std::size_t max_model_bytes() { return limit_from("PATCHBAY_MAX_MODEL_BYTES", kMaxModelBytes); }
std::size_t max_model_values() { return limit_from("PATCHBAY_MAX_MODEL_VALUES", kMaxModelValues); }
std::size_t max_capacity() { return limit_from("PATCHBAY_MAX_CAPACITY", kMaxCapacity); }

namespace {

// Notes where documents start; ignores everything else.
class DocumentStarts final : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> last;
  void OnDocumentStart(const YAML::Mark& mark) override { last = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

class StructureCheck {
 public:
  StructureCheck(const std::string& file, std::vector<Error>& errors) : file_(file), errors_(errors) {}

  // False once a limit is hit: the rest is not looked at.
  bool visit(const YAML::Node& node, int depth) {
    if (++values_ > limit_) {
      errors_.push_back({mark_of(node, file_), "the model holds more than " + std::to_string(limit_) +
                                                   " values once its aliases are expanded (aliases that repeat "
                                                   "aliases grow exponentially; PATCHBAY_MAX_MODEL_VALUES raises "
                                                   "the limit)"});
      return false;
    }
    if (depth > kMaxModelDepth) {
      errors_.push_back({mark_of(node, file_), "maps and lists are nested more than " + std::to_string(kMaxModelDepth) +
                                                   " levels deep"});
      return false;
    }
    if (node.IsSequence()) {
      for (const auto& item : node)
        if (!visit(item, depth + 1)) return false;
    } else if (node.IsMap()) {
      std::map<std::string, YAML::Mark> seen;
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {  // `{a: 1,, b: 2}` has a null key; `[a]: 1` a list
          errors_.push_back({mark_of(kv.first.IsNull() ? kv.second : kv.first, file_),
                             "a map key must be text, not " +
                                 std::string(kv.first.IsNull() ? "empty" : kv.first.IsMap() ? "a map" : "a list")});
        } else {
          auto [it, added] = seen.emplace(kv.first.Scalar(), kv.first.Mark());
          if (!added)
            errors_.push_back({mark_of(kv.first, file_), "duplicate key '" + kv.first.Scalar() + "' (first at line " +
                                                             std::to_string(it->second.line + 1) + ", column " +
                                                             std::to_string(it->second.column + 1) + ")"});
        }
        if (!visit(kv.first, depth + 1) || !visit(kv.second, depth + 1)) return false;
      }
    }
    return true;
  }

 private:
  const std::string& file_;
  std::vector<Error>& errors_;
  std::size_t values_ = 0;
  const std::size_t limit_ = max_model_values();
};

}  // namespace

std::optional<SourceMark> second_document(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts starts;
  try {
    if (!parser.HandleNextDocument(starts)) return std::nullopt;  // the first (or none)
    starts.last.reset();
    if (!parser.HandleNextDocument(starts)) return std::nullopt;
  } catch (const YAML::Exception& e) {  // what follows the first document does not parse
    return SourceMark{file, e.mark.line + 1, e.mark.column + 1};
  }
  YAML::Mark m = starts.last.value_or(YAML::Mark());
  return SourceMark{file, m.line + 1, m.column + 1};
}

void check_yaml_structure(const YAML::Node& root, const std::string& file, std::vector<Error>& errors) {
  StructureCheck(file, errors).visit(root, 0);
}

}  // namespace patchbay::detail
