// ValueTraits<T>: how a C++ type converts to and from a patchbay::Value. Used for
// parameters, for wiring a typed port to a Value port, and for text sinks.
// Built in: bool, arithmetic types, std::string, std::vector of those, Value.
// A user type gets conversions by including <patchbay/json.hpp> and giving the type
// nlohmann_json's to_json/from_json.
#pragma once

#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "patchbay/value.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

template <class T, class Enable = void>
struct ValueTraits;  // undefined: the type has no Value conversion

template <>
struct ValueTraits<Value> {
  static std::string name() { return "Value"; }
  static Value to_value(const Value& v) { return v; }
  static Value from_value(const Value& v) { return v; }
};

template <>
struct ValueTraits<bool> {
  static std::string name() { return "bool"; }
  static Value to_value(bool b) { return Value(b); }
  static bool from_value(const Value& v) {
    if (!v.is_bool()) throw std::invalid_argument("expected bool, got " + v.describe());
    return v.as_bool();
  }
};

template <class T>
struct ValueTraits<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>> {
  static std::string name() {
    return std::string(std::is_signed_v<T> ? "int" : "uint") + std::to_string(8 * sizeof(T));
  }
  static Value to_value(T i) {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= 8) {
      if (i > static_cast<T>(std::numeric_limits<std::int64_t>::max()))
        return Value(static_cast<double>(i));
    }
    return Value(static_cast<std::int64_t>(i));
  }
  static T from_value(const Value& v) {
    std::int64_t i;
    try {
      i = v.as_int();
    } catch (const std::invalid_argument&) {
      throw std::invalid_argument("expected " + name() + ", got " + v.describe());
    }
    if constexpr (std::is_signed_v<T>) {
      if (i < std::numeric_limits<T>::min() || i > std::numeric_limits<T>::max())
        throw std::invalid_argument("expected " + name() + ", got " + v.describe() + " (out of range)");
    } else {
      if (i < 0 || static_cast<std::uint64_t>(i) > std::numeric_limits<T>::max())
        throw std::invalid_argument("expected " + name() + ", got " + v.describe() + " (out of range)");
    }
    return static_cast<T>(i);
  }
};

template <class T>
struct ValueTraits<T, std::enable_if_t<std::is_floating_point_v<T>>> {
  static std::string name() { return sizeof(T) == 4 ? "float" : "double"; }
  static Value to_value(T d) { return Value(static_cast<double>(d)); }
  static T from_value(const Value& v) {
    if (!v.is_number()) throw std::invalid_argument("expected " + name() + ", got " + v.describe());
    return static_cast<T>(v.as_double());
  }
};

template <>
struct ValueTraits<std::string> {
  static std::string name() { return "string"; }
  static Value to_value(const std::string& s) { return Value(s); }
  static std::string from_value(const Value& v) {
    if (!v.is_string()) throw std::invalid_argument("expected string, got " + v.describe());
    return v.as_string();
  }
};

template <class T>
struct ValueTraits<std::vector<T>, std::void_t<decltype(ValueTraits<T>::name())>> {
  static std::string name() { return "vector<" + ValueTraits<T>::name() + ">"; }
  static Value to_value(const std::vector<T>& xs) {
    Value::Array a;
    a.reserve(xs.size());
    for (const auto& x : xs) a.push_back(ValueTraits<T>::to_value(x));
    return Value(std::move(a));
  }
  static std::vector<T> from_value(const Value& v) {
    if (!v.is_array()) throw std::invalid_argument("expected " + name() + ", got " + v.describe());
    std::vector<T> out;
    const auto& a = v.as_array();
    out.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      try {
        out.push_back(ValueTraits<T>::from_value(a[i]));
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("item " + std::to_string(i) + ": " + e.what());
      }
    }
    return out;
  }
};

template <class T>
concept ValueConvertible = requires(const T& t, const Value& v) {
  { ValueTraits<T>::to_value(t) } -> std::convertible_to<Value>;
  { ValueTraits<T>::from_value(v) } -> std::convertible_to<T>;
};

template <class T>
Value to_value(const T& t) { return ValueTraits<T>::to_value(t); }
template <class T>
T from_value(const Value& v) { return ValueTraits<T>::from_value(v); }

}  // namespace patchbay
#pragma GCC visibility pop
