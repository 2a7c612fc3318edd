// TypeInfo: the runtime description of a port's value type. Ports compare TypeInfo to
// check wiring at load time; conversions to and from Value let a typed port feed a Value
// port (and text sinks print anything).
#pragma once

#include <string>
#include <typeinfo>

#include "patchbay/value_traits.hpp"

namespace patchbay {

class Payload;

// The type of a generic port (Input<Any>, Output<Any>): it carries whatever arrives, with
// its type attached, and is checked when it meets a typed port.
struct Any {};

struct TypeInfo {
  std::string name;  // "int64", "double", "string", "vector<double>", "Value", "any", ...
  bool is_any = false;
  bool is_value = false;
  Value (*to_value)(const Payload&) = nullptr;    // null: no Value conversion for this type
  Payload (*from_value)(const Value&) = nullptr;  // throws std::invalid_argument
};

// Two TypeInfo objects describe the same type when their names match. (Each shared
// library may hold its own copy of a TypeInfo, so addresses alone are not enough.)
inline bool same_type(const TypeInfo& a, const TypeInfo& b) {
  return &a == &b || a.name == b.name;
}

namespace detail {
std::string demangle(const char* mangled);
}

template <class T>
const TypeInfo& type_of();

}  // namespace patchbay
