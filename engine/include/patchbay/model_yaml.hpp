// Reading and writing models as YAML. The reader builds the model through the Model API,
// then checks it; every problem comes back with its file, line and column.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "patchbay/detail/export.hpp"
#include "patchbay/model.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
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

// When the whole model is checked (types, arguments, ports, wiring, process): `now`, by
// building every component once in this process; or `at_run`, by the run, which builds
// each component once, in the process that runs it (and throws ModelError with the same
// errors). With `at_run` a model that has other errors is still checked now.
enum class Checks { now, at_run };

// Reads the file, applies the overrides, loads the plugins it names, and checks the
// whole model.
PATCHBAY_API LoadResult load_model_file(const std::string& path, const std::vector<Override>& overrides = {},
                                        Checks checks = Checks::now);
// The same for YAML text; `name` stands for the file in messages.
PATCHBAY_API LoadResult load_model_string(std::string_view yaml, const std::string& name = "<model>",
                                          const std::vector<Override>& overrides = {}, Checks checks = Checks::now);
// Only reads (no plugin loading, no semantic checks): for tools that want the raw model.
PATCHBAY_API LoadResult read_model_string(std::string_view yaml, const std::string& name = "<model>");
// The same from a file, within the limits load_model_file keeps (a regular file, 16 MiB).
PATCHBAY_API LoadResult read_model_file(const std::string& path);

PATCHBAY_API std::string to_yaml(const Model& model);
PATCHBAY_API void save_model_file(const Model& model, const std::string& path);

// A YAML scalar or flow value as a Value ("3" -> 3, "[a, b]" -> array): for --set.
PATCHBAY_API Value parse_yaml_value(std::string_view text);

}  // namespace patchbay
#pragma GCC visibility pop
