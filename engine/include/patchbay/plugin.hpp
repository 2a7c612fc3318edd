// Plugins: shared libraries that register component types. Each exports one versioned
// entry point (PATCHBAY_PLUGIN()), checked before any of its types are accepted.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "patchbay/detail/macros.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

// Bumped whenever the component or channel ABI changes.
inline constexpr int kPluginAbiVersion = 3;

// Folders searched, in order, for a plugin not found where it was named (colon-separated).
inline constexpr const char* kPluginPathVariable = "PATCHBAY_PLUGIN_PATH";

struct PluginLoad {
  std::string path;                // the file (absolute); if not found, where it was first looked for
  std::vector<std::string> types;  // registered by it
  std::string error;               // empty on success
  bool ok() const { return error.empty(); }
};

// Loads a plugin (once per file) and registers its types in Registry::global(): all of
// them, or none when it fails. `name` is a path, relative to `relative_to` (default: the
// current directory); when no file is there, each folder of PATCHBAY_PLUGIN_PATH is
// tried. A bare name ("threshold") also matches "libthreshold.so".
PluginLoad load_plugin(const std::string& name, const std::filesystem::path& relative_to = {});
// Every plugin load attempted in this process, successful or not.
const std::vector<PluginLoad>& loaded_plugins();

}  // namespace patchbay
#pragma GCC visibility pop

// Put once in one source file of a plugin.
#define PATCHBAY_PLUGIN()                                                  \
  extern "C" __attribute__((visibility("default"))) int patchbay_plugin_abi() { \
    return ::patchbay::kPluginAbiVersion;                                  \
  }
