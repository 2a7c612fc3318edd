#include "patchbay/value.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "text_util.hpp"

namespace patchbay {

namespace {

[[noreturn]] void wrong_kind(std::string_view expected, const Value& v) {
  throw std::invalid_argument("expected " + std::string(expected) + ", got " + v.describe());
}

void escape_into(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void dump_into(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::null: out += "null"; break;
    case Value::Kind::boolean: out += v.as_bool() ? "true" : "false"; break;
    case Value::Kind::integer: out += std::to_string(v.as_int()); break;
    case Value::Kind::real: {
      double d = v.as_double();
      if (!std::isfinite(d)) {
        out += "null";
        break;
      }
      // Shortest text that reads back as the same double.
      char buf[64];
      auto res = std::to_chars(buf, buf + sizeof buf, d);
      std::string s(buf, res.ptr);
      if (s.find_first_of(".e") == std::string::npos) s += ".0";
      out += s;
      break;
    }
    case Value::Kind::string: escape_into(out, v.as_string()); break;
    case Value::Kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.as_array()) {
        if (!first) out += ',';
        first = false;
        dump_into(out, item);
      }
      out += ']';
      break;
    }
    case Value::Kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.as_object()) {
        if (!first) out += ',';
        first = false;
        escape_into(out, key);
        out += ':';
        dump_into(out, item);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

bool Value::as_bool() const {
  if (auto* b = std::get_if<bool>(&v_)) return *b;
  wrong_kind("bool", *this);
}

std::int64_t Value::as_int() const {
  if (auto* i = std::get_if<std::int64_t>(&v_)) return *i;
  if (auto* d = std::get_if<double>(&v_)) {
    if (std::trunc(*d) == *d && std::abs(*d) < 9.2e18) return static_cast<std::int64_t>(*d);
  }
  wrong_kind("integer", *this);
}

double Value::as_double() const {
  if (auto* d = std::get_if<double>(&v_)) return *d;
  if (auto* i = std::get_if<std::int64_t>(&v_)) return static_cast<double>(*i);
  wrong_kind("number", *this);
}

const std::string& Value::as_string() const {
  if (auto* s = std::get_if<std::string>(&v_)) return *s;
  wrong_kind("string", *this);
}

const Value::Array& Value::as_array() const {
  if (auto* a = std::get_if<Array>(&v_)) return *a;
  wrong_kind("list", *this);
}

Value::Array& Value::as_array() {
  if (auto* a = std::get_if<Array>(&v_)) return *a;
  wrong_kind("list", *this);
}

const Value::Object& Value::as_object() const {
  if (auto* o = std::get_if<Object>(&v_)) return *o;
  wrong_kind("map", *this);
}

Value::Object& Value::as_object() {
  if (auto* o = std::get_if<Object>(&v_)) return *o;
  wrong_kind("map", *this);
}

const Value* Value::find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const auto& [k, v] : std::get<Object>(v_))
    if (k == key) return &v;
  return nullptr;
}

Value* Value::find(std::string_view key) {
  return const_cast<Value*>(static_cast<const Value*>(this)->find(key));
}

Value& Value::set(std::string key, Value v) {
  if (is_null()) v_ = Object{};
  return detail::set_entry(as_object(), std::move(key), std::move(v));
}

std::string Value::dump() const {
  std::string out;
  dump_into(out, *this);
  return out;
}

std::string_view Value::kind_name(Kind k) {
  switch (k) {
    case Kind::null: return "null";
    case Kind::boolean: return "bool";
    case Kind::integer: return "integer";
    case Kind::real: return "number";
    case Kind::string: return "string";
    case Kind::array: return "list";
    case Kind::object: return "map";
  }
  return "?";
}

std::string Value::describe() const {
  std::string text(kind_name(kind()));
  if (kind() == Kind::array || kind() == Kind::object || kind() == Kind::null) return text;
  std::string shown = dump();
  if (shown.size() > 40) shown = shown.substr(0, 37) + "...";
  return text + " " + shown;
}

}  // namespace patchbay
