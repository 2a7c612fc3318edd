// Args: the arguments given to one component (the `args:` map of the model), as its
// parameters see them while the component is constructed. Parameters take their values
// from here and record their declaration, so unknown keys and bad values are reported
// with the place they came from.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "patchbay/error.hpp"
#include "patchbay/value.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

struct ParamInfo {
  std::string name;
  std::string type;
  Value default_value;  // null when required
  bool required = false;
  std::string help;
  // Checked by the engine where it checks options itself (process arguments, channel
  // options): the allowed strings, and the range of a number.
  std::vector<std::string> choices = {};
  std::optional<double> minimum = {}, maximum = {};
};

class Args {
 public:
  Args(std::string component_name, std::string type_name, Value::Object values = {});
  // Arguments for listing a type: parameters keep their defaults, nothing is missing.
  static Args for_description(std::string type_name);

  const std::string& component_name() const { return component_name_; }
  const std::string& type_name() const { return type_name_; }
  const Value::Object& values() const { return values_; }
  bool describing() const { return describing_; }

  // Where the component and each argument were written, for error messages.
  SourceMark component_mark;
  std::map<std::string, SourceMark> value_marks;

  // Used by Param: look up a key and mark it used; record the declaration; report.
  const Value* take(std::string_view key) const;
  void declare(ParamInfo info) const;
  void fail(std::string_view key, std::string message) const;

  const std::vector<ParamInfo>& declared() const { return declared_; }
  const std::vector<Error>& errors() const { return errors_; }
  std::vector<std::string> unused_keys() const;
  SourceMark mark_of(std::string_view key) const;
  // A relative path given under `key`, taken from the folder of the model file that gave
  // it (unchanged when it came from --set or from C++: the current folder).
  std::string resolve_path(std::string_view key, const std::string& path) const;

 private:
  std::string component_name_;
  std::string type_name_;
  Value::Object values_;
  bool describing_ = false;
  mutable std::set<std::string, std::less<>> used_;
  mutable std::vector<ParamInfo> declared_;
  mutable std::vector<Error> errors_;
};

}  // namespace patchbay
#pragma GCC visibility pop
