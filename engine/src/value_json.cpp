// Value <-> nlohmann::json, for user types (patchbay/json.hpp).
#include "patchbay/json.hpp"

namespace patchbay {

nlohmann::json to_json_value(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::null: return nullptr;
    case Value::Kind::boolean: return v.as_bool();
    case Value::Kind::integer: return v.as_int();
    case Value::Kind::real: return v.as_double();
    case Value::Kind::string: return v.as_string();
    case Value::Kind::array: {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& item : v.as_array()) a.push_back(to_json_value(item));
      return a;
    }
    case Value::Kind::object: {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& [k, item] : v.as_object()) o[k] = to_json_value(item);
      return o;
    }
  }
  return nullptr;
}

Value from_json_value(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return Value();
    case nlohmann::json::value_t::boolean: return Value(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return Value(j.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      auto u = j.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(INT64_MAX)) return Value(static_cast<double>(u));
      return Value(static_cast<std::int64_t>(u));
    }
    case nlohmann::json::value_t::number_float: return Value(j.get<double>());
    case nlohmann::json::value_t::string: return Value(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      Value::Array a;
      for (const auto& item : j) a.push_back(from_json_value(item));
      return Value(std::move(a));
    }
    case nlohmann::json::value_t::object: {
      Value::Object o;
      for (auto it = j.begin(); it != j.end(); ++it) o.emplace_back(it.key(), from_json_value(it.value()));
      return Value(std::move(o));
    }
    default: return Value();
  }
}

}  // namespace patchbay

namespace patchbay::sdk {

void encode_value(const Value& v, std::string& out) {
  nlohmann::json::to_cbor(to_json_value(v), out);
}

Value decode_value(const unsigned char* data, std::size_t size) {
  try {
    return from_json_value(nlohmann::json::from_cbor(data, data + size));
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("not a CBOR value: ") + e.what());
  }
}

}  // namespace patchbay::sdk
