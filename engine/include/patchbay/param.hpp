// Parameters: typed, named, documented component arguments, declared as members.
//   patchbay::Param<double> seconds{this, "seconds", 1.0, "how long each step sleeps"};
//   patchbay::Param<std::string> path{this, "path", patchbay::required, "file to write"};
// The value comes from the model's `args:`; a wrong type, a missing required value or an
// unknown key is a load error naming the file, line and column.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "patchbay/component.hpp"
#include "patchbay/value_traits.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

struct Required {};
inline constexpr Required required{};

// A file a component reads. Written relative in a model file, it is taken from that file's
// folder, so a model finds the data beside it from any current folder; given with --set,
// or in a model built in C++, from the current folder.
struct Path {
  std::string value;
  const std::string& str() const { return value; }
  operator const std::string&() const { return value; }
};

template <>
struct ValueTraits<Path> {
  static std::string name() { return "path"; }
  static Value to_value(const Path& p) { return Value(p.value); }
  static Path from_value(const Value& v) { return Path{ValueTraits<std::string>::from_value(v)}; }
};

template <class T>
class Param {
  static_assert(ValueConvertible<T>, "a parameter type needs a Value conversion");

 public:
  Param(Component* owner, std::string name, T default_value, std::string help)
      : value_(std::move(default_value)) {
    const Args& args = owner->args();
    args.declare({name, ValueTraits<T>::name(), to_value(value_), false, std::move(help)});
    read(args, name);
  }

  Param(Component* owner, std::string name, Required, std::string help) {
    const Args& args = owner->args();
    args.declare({name, ValueTraits<T>::name(), Value(), true, std::move(help)});
    if (!read(args, name) && !args.describing())
      args.fail("", "missing required argument '" + name + "' (" + ValueTraits<T>::name() + ")");
  }

  const T& get() const { return value_; }
  const T& operator*() const { return value_; }
  const T* operator->() const { return &value_; }
  operator const T&() const { return value_; }

 private:
  bool read(const Args& args, const std::string& name) {
    const Value* v = args.take(name);
    if (v == nullptr) return false;
    try {
      value_ = from_value<T>(*v);
      if constexpr (std::is_same_v<T, Path>) value_.value = args.resolve_path(name, value_.value);
    } catch (const std::invalid_argument& e) {
      args.fail(name, "argument '" + name + "': " + e.what());
    }
    return true;
  }

  T value_{};
};

}  // namespace patchbay
#pragma GCC visibility pop
