#include <cxxabi.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>

#include "patchbay/payload.hpp"

namespace patchbay {

std::string sdk::demangle(const char* mangled) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> out(abi::__cxa_demangle(mangled, nullptr, nullptr, &status),
                                             std::free);
  return status == 0 && out ? std::string(out.get()) : std::string(mangled);
}

namespace {
struct TypeTable {
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<const TypeInfo>, std::less<>> by_name;
};
TypeTable& type_table() {
  static TypeTable* table = new TypeTable;  // never destroyed: types outlive every static
  return *table;
}
}  // namespace

const TypeInfo& sdk::register_type(const TypeInfo& type) {
  TypeTable& t = type_table();
  std::lock_guard lock(t.mutex);
  auto [it, added] = t.by_name.try_emplace(type.name);
  if (added) it->second = std::make_unique<const TypeInfo>(type);
  return *it->second;
}

const TypeInfo* find_type(std::string_view name) {
  TypeTable& t = type_table();
  std::lock_guard lock(t.mutex);
  auto it = t.by_name.find(name);
  return it == t.by_name.end() ? nullptr : it->second.get();
}

Payload convert_payload(const Payload& p, const TypeInfo& target) {
  const TypeInfo* from = p.type();
  if (from == nullptr) throw std::invalid_argument("empty value");
  if (target.is_any || same_type(*from, target)) return p;
  if (target.is_value) {
    if (from->to_value == nullptr)
      throw std::invalid_argument("type " + from->name + " has no conversion to Value");
    return Payload::make<Value>(from->to_value(p));
  }
  if (from->is_value) {
    if (target.from_value == nullptr)
      throw std::invalid_argument("type " + target.name + " has no conversion from Value");
    return target.from_value(p.get<Value>());
  }
  throw std::invalid_argument("a " + from->name + " value cannot go to a " + target.name + " port");
}

}  // namespace patchbay
