// Value conversions for user types through nlohmann_json: a type with to_json/from_json
// (found by argument-dependent lookup, as NLOHMANN_DEFINE_TYPE_* defines them) can be a
// port or parameter type that meets Value ports and text sinks.
// Kept out of patchbay.hpp so that components that do not need it compile fast.
#pragma once

#include <stdexcept>
#include <typeinfo>

#include <nlohmann/json.hpp>

#include "patchbay/type_info.hpp"
#include "patchbay/value_traits.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

nlohmann::json to_json_value(const Value& v);
Value from_json_value(const nlohmann::json& j);

namespace detail {
template <class T>
concept UserJsonType = requires(nlohmann::json& j, const nlohmann::json& cj, const T& t, T& out) {
  to_json(j, t);
  from_json(cj, out);
};
}  // namespace detail

template <detail::UserJsonType T>
struct ValueTraits<T> {
  static std::string name() { return sdk::demangle(typeid(T).name()); }
  static Value to_value(const T& t) {
    nlohmann::json j;
    to_json(j, t);
    return from_json_value(j);
  }
  static T from_value(const Value& v) {
    try {
      T out{};
      from_json(to_json_value(v), out);
      return out;
    } catch (const nlohmann::json::exception& e) {
      throw std::invalid_argument("expected " + name() + ", got " + v.describe() + " (" + e.what() + ")");
    }
  }
};

}  // namespace patchbay
#pragma GCC visibility pop
