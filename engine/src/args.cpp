#include "patchbay/args.hpp"

#include <filesystem>

namespace patchbay {

Args::Args(std::string component_name, std::string type_name, Value::Object values)
    : component_name_(std::move(component_name)),
      type_name_(std::move(type_name)),
      values_(std::move(values)) {}

Args Args::for_description(std::string type_name) {
  Args a("", std::move(type_name));
  a.describing_ = true;
  return a;
}

const Value* Args::take(std::string_view key) const {
  for (const auto& [k, v] : values_) {
    if (k == key) {
      used_.insert(k);
      return &v;
    }
  }
  return nullptr;
}

void Args::declare(ParamInfo info) const { declared_.push_back(std::move(info)); }

SourceMark Args::mark_of(std::string_view key) const {
  if (!key.empty()) {
    auto it = value_marks.find(std::string(key));
    if (it != value_marks.end()) return it->second;
  }
  return component_mark;
}

std::string Args::resolve_path(std::string_view key, const std::string& path) const {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  auto it = value_marks.find(std::string(key));
  if (it == value_marks.end() || it->second.file.empty() || it->second.on_command_line()) return path;
  std::filesystem::path folder = std::filesystem::path(it->second.file).parent_path();
  return folder.empty() ? path : (folder / path).lexically_normal().string();
}

void Args::fail(std::string_view key, std::string message) const {
  std::string who = "component '" + component_name_ + "' (" + type_name_ + "): ";
  errors_.push_back({mark_of(key), who + message});
}

std::vector<std::string> Args::unused_keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : values_)
    if (!used_.count(k)) out.push_back(k);
  return out;
}

}  // namespace patchbay
