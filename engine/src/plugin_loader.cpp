#include <dlfcn.h>

#include <filesystem>

#include "patchbay/plugin.hpp"
#include "patchbay/registry.hpp"

namespace patchbay {

namespace {
std::vector<PluginLoad>& loads() {
  static std::vector<PluginLoad> list;
  return list;
}
}  // namespace

const std::vector<PluginLoad>& loaded_plugins() { return loads(); }

PluginLoad load_plugin(const std::string& given) {
  // A bare file name means the file here, not a search of the library path.
  std::string path = std::filesystem::absolute(given).lexically_normal().string();
  for (const auto& l : loads())
    if (l.path == path) return l;
  Registry::global();  // built-in types are claimed before the plugin's
  PluginLoad result;
  result.path = path;
  if (!std::filesystem::exists(path)) {
    result.error = "file not found: " + given;
  } else if (void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
    using AbiFn = int (*)();
    auto abi = reinterpret_cast<AbiFn>(dlsym(handle, "patchbay_plugin_abi"));
    if (abi == nullptr) {
      Registry::discard_pending();
      result.error = "not a patchbay plugin (no patchbay_plugin_abi entry point; add PATCHBAY_PLUGIN())";
    } else if (int v = abi(); v != kPluginAbiVersion) {
      Registry::discard_pending();
      result.error = "built for plugin ABI " + std::to_string(v) + ", this patchbay has ABI " +
                     std::to_string(kPluginAbiVersion) + ": rebuild the plugin";
    } else {
      std::vector<std::string> errors;
      result.types = Registry::global().claim_pending(path, &errors);
      for (const auto& e : errors) result.error += (result.error.empty() ? "" : "; ") + e;
    }
  } else {
    result.error = std::string("cannot load: ") + dlerror();
  }
  loads().push_back(result);
  return result;
}

}  // namespace patchbay
