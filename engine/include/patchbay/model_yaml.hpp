// Reading and writing models as YAML. The reader builds the model through the Model API,
// then checks it; every problem comes back with its file, line and column.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "patchbay/model.hpp"

namespace patchbay {

struct LoadResult {
  Model model;
  std::vector<Error> errors;  // empty when the model is valid
  bool ok() const { return errors.empty(); }
};

// An argument set from outside the file (the command line's --set comp.arg=value).
struct Override {
  std::string target;  // "component.argument"
  Value value;
};

// Reads the file, applies the overrides, loads the plugins it names, and checks the
// whole model.
LoadResult load_model_file(const std::string& path, const std::vector<Override>& overrides = {});
// The same for YAML text; `name` stands for the file in messages.
LoadResult load_model_string(std::string_view yaml, const std::string& name = "<model>",
                             const std::vector<Override>& overrides = {});
// Only reads (no plugin loading, no semantic checks): for tools that want the raw model.
LoadResult read_model_string(std::string_view yaml, const std::string& name = "<model>");

std::string to_yaml(const Model& model);
void save_model_file(const Model& model, const std::string& path);

// A YAML scalar or flow value as a Value ("3" -> 3, "[a, b]" -> array): for --set.
Value parse_yaml_value(std::string_view text);

}  // namespace patchbay
