// Plugin loading: find the file, check that it is a shared library with the patchbay entry
// point and ABI, then take the component types its static initialisers registered.
#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>

#include "patchbay/plugin.hpp"
#include "patchbay/registry.hpp"
#include "part_list.hpp"
#include "patchbay/backend/channel.hpp"
#include "patchbay/backend/process_type.hpp"

namespace patchbay {

namespace fs = std::filesystem;

namespace {

std::vector<PluginLoad>& loads() {
  static std::vector<PluginLoad> list;
  return list;
}

// The folders of PATCHBAY_PLUGIN_PATH, absolute; empty entries are skipped.
std::vector<fs::path> search_path() {
  std::vector<fs::path> dirs;
  const char* env = std::getenv(kPluginPathVariable);
  if (env == nullptr) return dirs;
  std::string_view rest = env;
  for (;;) {
    auto colon = rest.find(':');
    if (auto item = rest.substr(0, colon); !item.empty()) dirs.push_back(fs::absolute(item).lexically_normal());
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return dirs;
}

bool is_bare(const std::string& name) {
  return name.find('/') == std::string::npos && name.find(".so") == std::string::npos;
}

// The file `name` means in `dir`: the name as given, or lib<name>.so for a bare name.
std::optional<fs::path> find_in(const fs::path& dir, const std::string& name) {
  std::vector<fs::path> candidates{dir / name};
  if (is_bare(name)) candidates.push_back(dir / ("lib" + name + ".so"));
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::exists(c, ec)) return c;
  }
  return std::nullopt;
}

std::string looked_in(const std::vector<fs::path>& dirs, bool searched_path) {
  std::string out = " (looked in " + dirs.front().string();
  if (!searched_path) return out + "; " + kPluginPathVariable + " is not set)";
  out += " and " + std::string(kPluginPathVariable) + ": ";
  for (std::size_t i = 1; i < dirs.size(); ++i) {
    if (i > 1) out += ':';
    out += dirs[i].string();
  }
  return out + ")";
}

bool has_elf_header(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  char magic[4] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == 4 && std::memcmp(magic, "\177ELF", 4) == 0;
}

bool g_plugin_loading = false;

// Drops what a library registered while it loaded.
void discard_all_pending() {
  Registry::discard_pending();
  detail::channel_backends().discard();
  detail::process_types().discard();
}

// Takes the registrations of a library just opened, after its entry point checks out:
// all of them, or none.
void check_and_claim(void* handle, PluginLoad& result) {
  using AbiFn = int (*)();
  auto abi = reinterpret_cast<AbiFn>(dlsym(handle, "patchbay_plugin_abi"));
  if (abi == nullptr) {
    discard_all_pending();
    result.error = "not a patchbay plugin (no patchbay_plugin_abi entry point; add PATCHBAY_PLUGIN())";
    return;
  }
  if (int v = abi(); v != kPluginAbiVersion) {
    discard_all_pending();
    result.error = "built for plugin ABI " + std::to_string(v) + ", this patchbay has ABI " +
                   std::to_string(kPluginAbiVersion) + ": rebuild the plugin";
    return;
  }
  std::vector<std::string> errors;
  detail::channel_backends().check_pending(errors);
  detail::process_types().check_pending(errors);
  if (errors.empty()) {
    result.types = Registry::global().claim_pending(result.path, &errors);
  } else {
    Registry::discard_pending();
  }
  if (!errors.empty()) {
    detail::channel_backends().discard();
    detail::process_types().discard();
    for (const auto& e : errors) result.error += (result.error.empty() ? "" : "; ") + e;
    result.error += "; none of its types were added";
    return;
  }
  // Its process types and channel backends are listed with its component types.
  for (auto& name : detail::channel_backends().claim()) result.types.push_back(std::move(name));
  for (auto& name : detail::process_types().claim()) result.types.push_back(std::move(name));
}

}  // namespace

bool detail::plugin_load_in_progress() { return g_plugin_loading; }

const std::vector<PluginLoad>& loaded_plugins() { return loads(); }

PluginLoad load_plugin(const std::string& name, const fs::path& relative_to) {
  Registry::global();  // built-in types are claimed before the plugin's
  // A name is looked up where it was written (never through the library path), then in
  // PATCHBAY_PLUGIN_PATH.
  fs::path base = fs::absolute(relative_to.empty() ? fs::current_path() : relative_to).lexically_normal();
  std::optional<fs::path> found;
  std::vector<fs::path> looked{base};
  bool searched_path = false;
  if (fs::path(name).is_absolute()) {
    if (std::error_code ec; fs::exists(name, ec)) found = name;
  } else if (!(found = find_in(base, name))) {
    for (const auto& dir : search_path()) {
      searched_path = true;
      looked.push_back(dir);
      if ((found = find_in(dir, name))) break;
    }
  }
  // One file, one load, however it was named (symlinks included).
  std::string path = found ? fs::weakly_canonical(*found).string() : (base / name).lexically_normal().string();
  for (const auto& l : loads())
    if (l.path == path) return l;

  // A bare name that is not found may be a plugin already loaded from elsewhere
  // (`--plugin build/libthreshold.so` with `plugins: [threshold]` in the model).
  if (!found && is_bare(name))
    for (const auto& l : loads())
      if (l.ok() && (fs::path(l.path).filename() == name || fs::path(l.path).filename() == "lib" + name + ".so")) return l;

  PluginLoad result;
  result.path = path;
  if (!found) {
    result.error = "file not found: " + name + (is_bare(name) ? " or lib" + name + ".so" : "") +
                   (fs::path(name).is_absolute() ? "" : looked_in(looked, searched_path));
  } else if (fs::is_directory(path)) {
    result.error = "not a shared library (it is a directory)";
  } else if (!has_elf_header(path)) {
    result.error = "not a shared library (no ELF header)";
  } else {
    g_plugin_loading = true;
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    g_plugin_loading = false;
    if (handle) {
      check_and_claim(handle, result);
    } else {
      discard_all_pending();
      result.error = std::string("cannot load: ") + dlerror();
    }
  }
  loads().push_back(result);
  return result;
}

}  // namespace patchbay
