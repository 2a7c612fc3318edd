#include "wire_format.hpp"

#include <bit>
#include <cstring>
#include <limits>

namespace patchbay::wire {

namespace {

template <class T>
void put(std::string& out, T v) {
  static_assert(std::endian::native == std::endian::little, "the wire format is little-endian");
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

}  // namespace

std::uint16_t BatchWriter::type_id(const TypeInfo& t) {
  auto it = ids_.find(&t);
  if (it != ids_.end()) return it->second;
  if (ids_.size() >= std::numeric_limits<std::uint16_t>::max())
    throw std::runtime_error("too many value types on one channel");
  if (t.name.size() > std::numeric_limits<std::uint16_t>::max())
    throw std::runtime_error("type name too long to send: " + t.name.substr(0, 80) + "...");
  auto id = static_cast<std::uint16_t>(ids_.size());
  ids_.emplace(&t, id);
  add_tag(kType);
  put<std::uint16_t>(batch_, id);
  put<std::uint16_t>(batch_, static_cast<std::uint16_t>(t.name.size()));
  batch_ += t.name;
  return id;
}

std::size_t BatchWriter::add_value(const Payload& v, bool as_body) {
  const TypeInfo* t = v.type();
  if (t == nullptr) throw std::runtime_error("cannot send an empty value");
  if (!t->wire.available())
    throw std::runtime_error("a " + t->name + " value cannot leave its process (the type has no wire encoding; " +
                             "give it nlohmann_json to_json/from_json, see patchbay/json.hpp)");
  std::uint16_t id = type_id(*t);
  if (as_body) {
    add_tag(kBody);
    put<std::uint16_t>(batch_, id);
    return t->wire.raw(v).second;
  }
  add_tag(kValue);
  put<std::uint16_t>(batch_, id);
  std::size_t length_at = batch_.size();
  put<std::uint32_t>(batch_, 0);
  std::size_t start = batch_.size();
  t->wire.encode(v, batch_);
  std::size_t size = batch_.size() - start;
  if (size > std::numeric_limits<std::uint32_t>::max()) throw std::runtime_error("value too large to send (over 4 GiB)");
  auto n = static_cast<std::uint32_t>(size);
  std::memcpy(batch_.data() + length_at, &n, sizeof n);
  return size;
}

const unsigned char* BatchReader::take(std::size_t n, const char* what) {
  if (static_cast<std::size_t>(end_ - at_) < n)
    throw WireError(std::string("truncated frame: ") + what + " needs " + std::to_string(n) + " bytes, " +
                    std::to_string(end_ - at_) + " left");
  const unsigned char* p = at_;
  at_ += n;
  return p;
}

template <class T>
static T read_as(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

const TypeInfo& BatchReader::type_for(std::uint16_t id) const {
  if (id >= types_.size()) throw WireError("value of undeclared type id " + std::to_string(id));
  return *types_[id];
}

Record BatchReader::next() {
  for (;;) {
    auto tag = static_cast<Tag>(*take(1, "a record tag"));
    switch (tag) {
      case kType: {
        auto id = read_as<std::uint16_t>(take(2, "a type id"));
        auto len = read_as<std::uint16_t>(take(2, "a type name length"));
        std::string name(reinterpret_cast<const char*>(take(len, "a type name")), len);
        if (id != types_.size()) throw WireError("type id " + std::to_string(id) + " out of sequence");
        const TypeInfo* t = find_type(name);
        if (t == nullptr || !t->wire.available())
          throw WireError("values of type '" + name + "' cannot be read in this process (type unknown here)");
        types_.push_back(t);
        continue;
      }
      case kValue: {
        const TypeInfo& t = type_for(read_as<std::uint16_t>(take(2, "a type id")));
        auto len = read_as<std::uint32_t>(take(4, "a value length"));
        const unsigned char* bytes = take(len, "a value");
        Record r{kValue, {}, &t, len};
        try {
          r.value = t.wire.decode(bytes, len);
        } catch (const std::exception& e) {
          throw WireError("bad " + t.name + " value: " + e.what());
        }
        return r;
      }
      case kBody: {
        const TypeInfo& t = type_for(read_as<std::uint16_t>(take(2, "a type id")));
        if (!t.wire.raw) throw WireError("a " + t.name + " value cannot come as a separate frame");
        return Record{kBody, {}, &t, 0};
      }
      case kEnd:
      case kHello:
        return Record{tag, {}, nullptr, 0};
      default:
        throw WireError("unknown record tag " + std::to_string(static_cast<int>(tag)));
    }
  }
}

Payload BatchReader::decode_body(const TypeInfo& type, const unsigned char* data, std::size_t size) {
  try {
    return type.wire.decode(data, size);
  } catch (const std::exception& e) {
    throw WireError("bad " + type.name + " value: " + e.what());
  }
}

std::string credit_message(std::uint32_t values, std::uint64_t bytes) {
  std::string m(1, static_cast<char>(kCredit));
  put(m, values);
  put(m, bytes);
  return m;
}

Credit read_credit(const unsigned char* data, std::size_t size) {
  if (size != 1 + 4 + 8) throw WireError("credit message of " + std::to_string(size) + " bytes");
  return {read_as<std::uint32_t>(data + 1), read_as<std::uint64_t>(data + 5)};
}

}  // namespace patchbay::wire
