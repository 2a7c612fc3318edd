#include "value_yaml.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <regex>

namespace patchbay::detail {

namespace {

Value plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Value();
  if (s == "true" || s == "True" || s == "TRUE") return Value(true);
  if (s == "false" || s == "False" || s == "FALSE") return Value(false);
  static const std::regex int_re("[-+]?[0-9]+");
  static const std::regex hex_re("0x[0-9a-fA-F]+");
  static const std::regex float_re("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (std::regex_match(s, int_re)) {
    errno = 0;
    long long v = std::strtoll(s.c_str(), nullptr, 10);
    if (errno == 0) return Value(static_cast<std::int64_t>(v));
    return Value(std::strtod(s.c_str(), nullptr));
  }
  if (std::regex_match(s, hex_re)) return Value(static_cast<std::int64_t>(std::strtoll(s.c_str(), nullptr, 16)));
  if (std::regex_match(s, float_re)) return Value(std::strtod(s.c_str(), nullptr));
  if (s == ".inf" || s == ".Inf" || s == "+.inf") return Value(HUGE_VAL);
  if (s == "-.inf" || s == "-.Inf") return Value(-HUGE_VAL);
  if (s == ".nan" || s == ".NaN") return Value(std::nan(""));
  return Value(s);
}

}  // namespace

Value yaml_to_value(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null: return Value();
    case YAML::NodeType::Scalar:
      if (node.Tag() == "!") return Value(node.Scalar());
      return plain_scalar(node.Scalar());
    case YAML::NodeType::Sequence: {
      Value::Array a;
      for (const auto& item : node) a.push_back(yaml_to_value(item));
      return Value(std::move(a));
    }
    case YAML::NodeType::Map: {
      Value::Object o;
      for (const auto& kv : node) o.emplace_back(kv.first.Scalar(), yaml_to_value(kv.second));
      return Value(std::move(o));
    }
  }
  return Value();
}

void emit_value(YAML::Emitter& out, const Value& v, bool flow) {
  switch (v.kind()) {
    case Value::Kind::null: out << YAML::Null; break;
    case Value::Kind::boolean: out << v.as_bool(); break;
    case Value::Kind::integer: out << v.as_int(); break;
    case Value::Kind::real: {
      double d = v.as_double();
      if (std::isnan(d)) out << ".nan";
      else if (std::isinf(d)) out << (d > 0 ? ".inf" : "-.inf");
      else out << v.dump();
      break;
    }
    case Value::Kind::string: {
      const std::string& s = v.as_string();
      // Quote strings that would read back as something else.
      if (!plain_scalar(s).is_string()) out << YAML::DoubleQuoted << s;
      else out << s;
      break;
    }
    case Value::Kind::array:
      if (flow) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& item : v.as_array()) emit_value(out, item, flow);
      out << YAML::EndSeq;
      break;
    case Value::Kind::object:
      if (flow) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& [k, item] : v.as_object()) {
        out << YAML::Key << k << YAML::Value;
        emit_value(out, item, flow);
      }
      out << YAML::EndMap;
      break;
  }
}

SourceMark mark_of(const YAML::Node& node, const std::string& file) {
  YAML::Mark m = node.Mark();
  if (m.is_null()) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

}  // namespace patchbay::detail
