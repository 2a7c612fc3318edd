// TypeInfo: the runtime description of a port's value type. Ports compare TypeInfo to
// check wiring at load time; conversions to and from Value let a typed port feed a Value
// port (and text sinks print anything).
#pragma once

#include "patchbay/detail/export.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>

#include "patchbay/value_traits.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

class Payload;

// The type of a generic port (Input<Any>, Output<Any>): it carries whatever arrives, with
// its type attached, and is checked when it meets a typed port.
struct Any {};

// How values of a type travel between processes. Numbers and strings are written as
// their bytes, vectors of numbers as one block of raw bytes (sent without a copy), and any
// other type with a Value conversion as CBOR. A type without a codec stays in-process.
struct WireCodec {
  void (*encode)(const Payload&, std::string& out) = nullptr;  // appends the value's bytes
  // Throws std::invalid_argument when the bytes are not a value of the type.
  Payload (*decode)(const unsigned char* data, std::size_t size) = nullptr;
  // Set for contiguous arrays of numbers: the bytes as they are in memory.
  std::pair<const void*, std::size_t> (*raw)(const Payload&) = nullptr;
  bool available() const { return encode != nullptr; }
};

struct TypeInfo {
  std::string name;  // "int64", "double", "string", "vector<double>", "Value", "any", ...
  bool is_any = false;
  bool is_value = false;
  Value (*to_value)(const Payload&) = nullptr;    // null: no Value conversion for this type
  Payload (*from_value)(const Value&) = nullptr;  // throws std::invalid_argument
  WireCodec wire;
};

// Two TypeInfo objects describe the same type when their names match. (Each shared
// library may hold its own copy of a TypeInfo, so addresses alone are not enough.)
inline bool same_type(const TypeInfo& a, const TypeInfo& b) {
  return &a == &b || a.name == b.name;
}

// Called by inline code of these headers (type_of<T>, the codecs of user types): part of
// the library's ABI, not for direct use.
namespace sdk {
PATCHBAY_API std::string demangle(const char* mangled);
// Every TypeInfo made by type_of<T>() is recorded by name, so a receiver can find the
// type a sender names on the wire.
PATCHBAY_API const TypeInfo& register_type(const TypeInfo& type);
// Value <-> CBOR, the wire form of Value and of user types (implemented with nlohmann_json).
PATCHBAY_API void encode_value(const Value& v, std::string& out);
PATCHBAY_API Value decode_value(const unsigned char* data, std::size_t size);  // throws std::invalid_argument
}  // namespace sdk

// The type recorded under this name, or null.
const TypeInfo* find_type(std::string_view name);

template <class T>
const TypeInfo& type_of();

}  // namespace patchbay
#pragma GCC visibility pop
