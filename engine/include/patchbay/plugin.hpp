// Plugins: shared libraries that register component types. Each exports one versioned
// entry point (PATCHBAY_PLUGIN()), checked before any of its types are accepted.
#pragma once

#include <string>
#include <vector>

#include "patchbay/detail/macros.hpp"

namespace patchbay {

// Bumped whenever the component or channel ABI changes.
inline constexpr int kPluginAbiVersion = 1;

struct PluginLoad {
  std::string path;
  std::vector<std::string> types;  // registered by it
  std::string error;               // empty on success
  bool ok() const { return error.empty(); }
};

// Loads a plugin (once per path) and registers its types in Registry::global().
PluginLoad load_plugin(const std::string& path);
// Every plugin load attempted in this process, successful or not.
const std::vector<PluginLoad>& loaded_plugins();

}  // namespace patchbay

// Put once in one source file of a plugin.
#define PATCHBAY_PLUGIN()                                                  \
  extern "C" __attribute__((visibility("default"))) int patchbay_plugin_abi() { \
    return ::patchbay::kPluginAbiVersion;                                  \
  }
