// The JSON Schema (draft-07) of the model file format, generated from the registry: every
// registered component type, with its parameters (types, defaults, help, required ones)
// as the allowed `args`. Editors (the YAML language server) use it to complete and check
// model files; `patchbay schema` prints it.
#pragma once

#include <string>

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

class Registry;

// The schema as indented JSON text, ending in a newline.
std::string model_schema(const Registry& registry);

}  // namespace patchbay
#pragma GCC visibility pop
