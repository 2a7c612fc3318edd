// patchbay::Value: a dynamic, JSON-like value. Used for component arguments, for generic
// ports that accept anything, and as the bridge between typed ports and text formats.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

class Value {
 public:
  using Array = std::vector<Value>;
  // Keys keep their insertion order, so a model written back reads like the one loaded.
  using Object = std::vector<std::pair<std::string, Value>>;
  enum class Kind { null, boolean, integer, real, string, array, object };

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  template <class T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool>)
  Value(T i) : v_(static_cast<std::int64_t>(i)) {}
  template <class T>
    requires std::is_floating_point_v<T>
  Value(T d) : v_(static_cast<double>(d)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Object o) : v_(std::move(o)) {}

  static Value array(std::initializer_list<Value> items = {}) { return Value(Array(items)); }
  static Value object() { return Value(Object{}); }

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_null() const { return kind() == Kind::null; }
  bool is_bool() const { return kind() == Kind::boolean; }
  bool is_int() const { return kind() == Kind::integer; }
  bool is_number() const { return kind() == Kind::integer || kind() == Kind::real; }
  bool is_string() const { return kind() == Kind::string; }
  bool is_array() const { return kind() == Kind::array; }
  bool is_object() const { return kind() == Kind::object; }

  // Accessors throw std::invalid_argument naming what was expected and what was found.
  bool as_bool() const;
  std::int64_t as_int() const;
  double as_double() const;  // integers widen to double
  const std::string& as_string() const;
  const Array& as_array() const;
  const Object& as_object() const;
  Array& as_array();
  Object& as_object();

  // Object helpers: find returns nullptr when the key is absent; set replaces or appends.
  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);
  Value& set(std::string key, Value v);

  // Compact JSON text; strings are escaped.
  std::string dump() const;
  // "integer", "string", ... for error messages.
  static std::string_view kind_name(Kind k);
  // Short description for messages: the kind and, for scalars, the value.
  std::string describe() const;

  friend bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }

 private:
  std::variant<std::monostate, bool, std::int64_t, double, std::string, Array, Object> v_;
};

}  // namespace patchbay
#pragma GCC visibility pop
