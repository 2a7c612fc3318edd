#include "patchbay/registry.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <stdexcept>

#include "patchbay/port.hpp"
#include "text_util.hpp"

namespace patchbay {

namespace {

std::vector<ComponentType>& pending() {
  static std::vector<ComponentType> list;
  return list;
}

}  // namespace

sdk::ComponentRegistration::ComponentRegistration(const char* name, const char* help,
                                                     ComponentFactory factory) {
  pending().push_back({name, help, factory, ""});
}

namespace {
// "builtin" for types compiled into libpatchbay, "program" for those registered by the
// executable itself (an application or a test that defines its own components).
std::string origin_of(ComponentFactory factory) {
  Dl_info mine{}, theirs{};
  if (dladdr(reinterpret_cast<void*>(&origin_of), &mine) == 0 ||
      dladdr(reinterpret_cast<void*>(factory), &theirs) == 0)
    return "builtin";
  return std::string(mine.dli_fname) == theirs.dli_fname ? "builtin" : "program";
}
}  // namespace

Registry& Registry::global() {
  static Registry registry = [] {
    Registry r;
    auto list = std::move(pending());
    pending().clear();
    for (auto& t : list) {
      t.origin = origin_of(t.factory);
      r.add(std::move(t));
    }
    return r;
  }();
  return registry;
}

const ComponentType* Registry::find(std::string_view name) const {
  for (const auto& t : types_)
    if (t.name == name) return &t;
  return nullptr;
}

std::vector<const ComponentType*> Registry::types() const {
  std::vector<const ComponentType*> out;
  for (const auto& t : types_) out.push_back(&t);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->name < b->name; });
  return out;
}

std::vector<std::string> Registry::nearest(std::string_view name, std::size_t count) const {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& t : types_) {
    // Compare with the full name and with the part after the namespace dot.
    std::string_view short_name = t.name;
    if (auto dot = short_name.rfind('.'); dot != std::string_view::npos) short_name.remove_prefix(dot + 1);
    std::size_t d = std::min(detail::edit_distance(name, t.name), detail::edit_distance(name, short_name));
    scored.emplace_back(d, t.name);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  if (scored.empty()) return out;
  // Only names about as close as the best one, and close enough to be a typo.
  std::size_t limit = std::min(std::max<std::size_t>(3, name.size() / 3), scored.front().first + 1);
  for (const auto& [d, n] : scored) {
    if (out.size() == count) break;
    if (d <= limit) out.push_back(n);
  }
  return out;
}

void Registry::add(ComponentType type) {
  if (const auto* existing = find(type.name))
    throw std::invalid_argument("component type '" + type.name + "' is already registered (by " +
                                existing->origin + ")");
  types_.push_back(std::move(type));
}

std::vector<std::string> Registry::claim_pending(const std::string& origin, std::vector<std::string>* errors) {
  auto list = std::move(pending());
  pending().clear();
  // All or nothing: a library with one clashing name adds none of its types.
  std::vector<std::string> problems;
  std::set<std::string, std::less<>> names;
  for (const auto& t : list) {
    if (const auto* existing = find(t.name))
      problems.push_back("component type '" + t.name + "' is already registered (by " + existing->origin + ")");
    else if (!names.insert(t.name).second)
      problems.push_back("component type '" + t.name + "' is registered twice");
  }
  if (!problems.empty()) {
    if (errors) errors->insert(errors->end(), problems.begin(), problems.end());
    return {};
  }
  std::vector<std::string> added;
  for (auto& t : list) {
    t.origin = origin;
    added.push_back(t.name);
    types_.push_back(std::move(t));
  }
  return added;
}

void Registry::discard_pending() { pending().clear(); }

std::unique_ptr<Component> create_component(const ComponentType& type, const Args& args,
                                            std::vector<Error>& errors) {
  std::unique_ptr<Component> c;
  std::string who = "component '" + args.component_name() + "' (" + type.name + "): ";
  try {
    c = type.factory(args);
  } catch (const std::exception& e) {
    errors.insert(errors.end(), args.errors().begin(), args.errors().end());
    errors.push_back({args.component_mark, who + e.what()});
    return nullptr;
  } catch (...) {
    errors.insert(errors.end(), args.errors().begin(), args.errors().end());
    errors.push_back({args.component_mark, who + "the constructor threw an exception that is not a std::exception"});
    return nullptr;
  }
  bool ok = args.errors().empty();
  errors.insert(errors.end(), args.errors().begin(), args.errors().end());
  for (const auto& key : args.unused_keys()) {
    std::vector<std::string> declared;
    for (const auto& p : args.declared()) declared.push_back(p.name);
    std::string names = detail::join(declared);
    errors.push_back({args.mark_of(key), who + "unknown argument '" + key + "' (" +
                                             (names.empty() ? "it takes no arguments" : "parameters: " + names) +
                                             ")"});
    ok = false;
  }
  if (!ok) return nullptr;
  return c;
}

TypeDescription describe(const ComponentType& type) {
  TypeDescription d;
  Args args = Args::for_description(type.name);
  try {
    auto c = type.factory(args);
    for (auto* p : c->inputs()) d.inputs.emplace_back(p->name(), p->type().name);
    for (auto* p : c->outputs()) d.outputs.emplace_back(p->name(), p->type().name);
  } catch (const std::exception& e) {
    d.error = e.what();
  } catch (...) {
    d.error = "the constructor threw an exception that is not a std::exception";
  }
  d.params = args.declared();
  return d;
}

}  // namespace patchbay
