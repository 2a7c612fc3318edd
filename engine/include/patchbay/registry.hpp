// Registry: the table from a component type name ("builtin.Iterator", "sleepers.Sleep")
// to its factory. Every component type, built-in or from a plugin, registers with
//   PATCHBAY_COMPONENT(MyComponent, "myplugin.MyComponent", "one line of help");
// The macro also checks the construction contract: one constructor taking const Args&.
#pragma once

#include "patchbay/detail/export.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "patchbay/component.hpp"
#include "patchbay/detail/macros.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

using ComponentFactory = std::unique_ptr<Component> (*)(const Args&);

struct ComponentType {
  std::string name;
  std::string help;
  ComponentFactory factory = nullptr;
  std::string origin;  // "builtin", or the plugin file that added it
};

class Registry {
 public:
  // The process-wide registry, holding the built-in types and those of loaded plugins.
  static Registry& global();

  const ComponentType* find(std::string_view name) const;
  std::vector<const ComponentType*> types() const;  // sorted by name
  // Registered names closest to `name` (edit distance), best first, for "did you mean".
  std::vector<std::string> nearest(std::string_view name, std::size_t count = 3) const;

  // Adds a type; throws std::invalid_argument if the name is taken.
  void add(ComponentType type);
  // Takes the registrations made since the last call (by a library just loaded) and adds
  // them with the given origin. Returns the names added. A name already taken adds none
  // of them: each clash is reported in `errors`.
  std::vector<std::string> claim_pending(const std::string& origin, std::vector<std::string>* errors = nullptr);
  // Drops registrations made since the last claim (a plugin that failed its checks).
  static void discard_pending();

 private:
  std::vector<ComponentType> types_;
};

// Builds a component, checking arguments against the declared parameters. On failure
// returns null and appends errors (with the places from args' marks).
std::unique_ptr<Component> create_component(const ComponentType& type, const Args& args,
                                            std::vector<Error>& errors);

// The parameters and ports a type declares with default arguments, for listings.
struct TypeDescription {
  std::vector<ParamInfo> params;
  std::vector<std::pair<std::string, std::string>> inputs;   // name, type
  std::vector<std::pair<std::string, std::string>> outputs;  // name, type
  std::string error;  // set when the type cannot be built with default arguments
};
TypeDescription describe(const ComponentType& type);

namespace sdk {
struct PATCHBAY_API ComponentRegistration {
  ComponentRegistration(const char* name, const char* help, ComponentFactory factory);
};
}  // namespace sdk

}  // namespace patchbay
#pragma GCC visibility pop

#define PATCHBAY_COMPONENT(Class, TypeName, Help)                                              \
  static_assert(std::is_base_of_v<::patchbay::Component, Class>,                              \
                #Class " must derive from patchbay::Component");                             \
  static_assert(std::is_constructible_v<Class, const ::patchbay::Args&>,                     \
                #Class " needs a constructor taking (const patchbay::Args&)");               \
  static const ::patchbay::sdk::ComponentRegistration PATCHBAY_DETAIL_CAT(                   \
      patchbay_registration_, __LINE__){                                                       \
      TypeName, Help, [](const ::patchbay::Args& a) -> std::unique_ptr<::patchbay::Component> { \
        return std::make_unique<Class>(a);                                                     \
      }}
