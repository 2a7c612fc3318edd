// Payload: one value in flight, with its type. Small trivially copyable values (numbers,
// bool) live inline; everything else is boxed once in an immutable shared allocation, so
// a fan-out or an in-process hop shares the value instead of copying it.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "patchbay/type_info.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

template <class T>
inline constexpr bool kStoredInline = std::is_trivially_copyable_v<T> &&
                                      std::is_trivially_destructible_v<T> &&
                                      sizeof(T) <= 8 && alignof(T) <= 8;

class Payload {
 public:
  Payload() = default;
  Payload(const Payload&) = default;
  Payload& operator=(const Payload&) = default;
  // A moved-from payload is empty.
  Payload(Payload&& o) noexcept : type_(std::exchange(o.type_, nullptr)), box_(std::move(o.box_)) {
    std::memcpy(inline_, o.inline_, sizeof inline_);
  }
  Payload& operator=(Payload&& o) noexcept {
    type_ = std::exchange(o.type_, nullptr);
    std::memcpy(inline_, o.inline_, sizeof inline_);
    box_ = std::move(o.box_);
    return *this;
  }

  template <class T>
  static Payload make(T value) {
    Payload p;
    p.type_ = &type_of<T>();
    if constexpr (kStoredInline<T>) {
      ::new (static_cast<void*>(p.inline_)) T(value);
    } else {
      p.box_ = std::make_shared<const T>(std::move(value));
    }
    return p;
  }

  // Shares a value that already lives in a shared allocation: nothing is copied.
  template <class T>
  static Payload share(std::shared_ptr<const T> value) {
    if constexpr (kStoredInline<T>) {
      return make<T>(*value);
    } else {
      Payload p;
      p.type_ = &type_of<T>();
      p.box_ = std::move(value);
      return p;
    }
  }

  // The value as a shared pointer (no copy for boxed values), to keep or forward it.
  template <class T>
  std::shared_ptr<const T> shared() const {
    if constexpr (kStoredInline<T>) {
      return std::make_shared<const T>(get<T>());
    } else {
      return std::static_pointer_cast<const T>(box_);
    }
  }

  // The caller knows the type (the engine checked it when the ports were wired).
  template <class T>
  const T& get() const {
    if constexpr (kStoredInline<T>) {
      return *std::launder(reinterpret_cast<const T*>(inline_));
    } else {
      return *static_cast<const T*>(box_.get());
    }
  }

  const TypeInfo* type() const { return type_; }
  bool empty() const { return type_ == nullptr; }
  void reset() { *this = Payload(); }
  // Address of the boxed value, or null for inline values (lets tests see sharing).
  const void* shared_address() const { return box_.get(); }

 private:
  const TypeInfo* type_ = nullptr;
  alignas(8) unsigned char inline_[8] = {};
  std::shared_ptr<const void> box_;
};

// Converts a payload to the given port type: same type passes through untouched, any
// type goes to Value when it has a conversion, and a Value goes to a typed port.
// Throws std::invalid_argument describing the mismatch.
Payload convert_payload(const Payload& p, const TypeInfo& target);

#pragma GCC visibility push(hidden)  // each library makes its own codecs
namespace detail {

template <class T>
inline constexpr bool kRawWire = std::is_arithmetic_v<T>;

template <class T>
struct IsRawVector : std::false_type {};
template <class T>
struct IsRawVector<std::vector<T>> : std::bool_constant<kRawWire<T>> {};

template <class T>
WireCodec make_wire_codec() {
  WireCodec c;
  if constexpr (kRawWire<T>) {
    c.encode = [](const Payload& p, std::string& out) {
      out.append(reinterpret_cast<const char*>(&p.get<T>()), sizeof(T));
    };
    c.decode = [](const unsigned char* data, std::size_t size) {
      if (size != sizeof(T))
        throw std::invalid_argument("a " + ValueTraits<T>::name() + " takes " + std::to_string(sizeof(T)) +
                                    " bytes, got " + std::to_string(size));
      T v;
      std::memcpy(&v, data, sizeof(T));
      return Payload::make<T>(v);
    };
  } else if constexpr (std::is_same_v<T, std::string>) {
    c.encode = [](const Payload& p, std::string& out) { out += p.get<std::string>(); };
    c.decode = [](const unsigned char* data, std::size_t size) {
      return Payload::make<std::string>(std::string(reinterpret_cast<const char*>(data), size));
    };
  } else if constexpr (IsRawVector<T>::value) {
    using E = typename T::value_type;
    c.raw = [](const Payload& p) {
      const T& v = p.get<T>();
      return std::pair<const void*, std::size_t>(v.data(), v.size() * sizeof(E));
    };
    c.encode = [](const Payload& p, std::string& out) {
      const T& v = p.get<T>();
      out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(E));
    };
    c.decode = [](const unsigned char* data, std::size_t size) {
      if (size % sizeof(E) != 0)
        throw std::invalid_argument(std::to_string(size) + " bytes is not a whole number of " +
                                    ValueTraits<E>::name() + "s");
      const std::size_t n = size / sizeof(E);
      if (reinterpret_cast<std::uintptr_t>(data) % alignof(E) == 0) {
        const E* first = reinterpret_cast<const E*>(data);
        return Payload::make<T>(T(first, first + n));  // one copy, no zero fill first
      }
      T v(n);
      if (size) std::memcpy(v.data(), data, size);
      return Payload::make<T>(std::move(v));
    };
  } else if constexpr (std::is_same_v<T, Value>) {
    c.encode = [](const Payload& p, std::string& out) { sdk::encode_value(p.get<Value>(), out); };
    c.decode = [](const unsigned char* data, std::size_t size) { return Payload::make<Value>(sdk::decode_value(data, size)); };
  } else if constexpr (ValueConvertible<T>) {
    c.encode = [](const Payload& p, std::string& out) { sdk::encode_value(ValueTraits<T>::to_value(p.get<T>()), out); };
    c.decode = [](const unsigned char* data, std::size_t size) {
      return Payload::make<T>(ValueTraits<T>::from_value(sdk::decode_value(data, size)));
    };
  }
  return c;
}

}  // namespace detail
#pragma GCC visibility pop

template <class T>
const TypeInfo& type_of() {
  static const TypeInfo& info = sdk::register_type([] {
    TypeInfo t;
    if constexpr (std::is_same_v<T, Any>) {
      t.name = "any";
      t.is_any = true;
    } else {
      if constexpr (requires { ValueTraits<T>::name(); }) {
        t.name = ValueTraits<T>::name();
      } else {
        t.name = sdk::demangle(typeid(T).name());
      }
      t.is_value = std::is_same_v<T, Value>;
      if constexpr (ValueConvertible<T>) {
        t.to_value = [](const Payload& p) { return ValueTraits<T>::to_value(p.get<T>()); };
        t.from_value = [](const Value& v) { return Payload::make<T>(ValueTraits<T>::from_value(v)); };
      }
      t.wire = detail::make_wire_codec<T>();
    }
    return t;
  }());
  return info;
}

}  // namespace patchbay
#pragma GCC visibility pop
