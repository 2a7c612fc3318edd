#include <cxxabi.h>

#include <cstdlib>
#include <memory>

#include "patchbay/payload.hpp"

namespace patchbay {

std::string detail::demangle(const char* mangled) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> out(abi::__cxa_demangle(mangled, nullptr, nullptr, &status),
                                             std::free);
  return status == 0 && out ? std::string(out.get()) : std::string(mangled);
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
