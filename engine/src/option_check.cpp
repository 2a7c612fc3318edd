#include "option_check.hpp"

#include <cmath>
#include <cstdio>

#include "text_util.hpp"

namespace patchbay::detail {

namespace {
std::string number(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", d);
  return buf;
}
}  // namespace

std::string option_problem(const ParamInfo& p, const Value& v) {
  const std::string got = ", got " + v.describe();
  if (p.type == "int64") {
    if (p.minimum && p.maximum && (!v.is_int() || v.as_int() < *p.minimum || v.as_int() > *p.maximum))
      return "must be an integer from " + number(*p.minimum) + " to " + number(*p.maximum) + got;
    if (!v.is_int()) return "must be an integer" + got;
  } else if (p.type == "double") {
    if (!v.is_number() || !std::isfinite(v.as_double())) return "must be a number" + got;
    if ((p.minimum && v.as_double() < *p.minimum) || (p.maximum && v.as_double() > *p.maximum))
      return "must be from " + number(p.minimum.value_or(-HUGE_VAL)) + " to " + number(p.maximum.value_or(HUGE_VAL)) + got;
  } else if (p.type == "bool") {
    if (!v.is_bool()) return "must be true or false" + got;
  } else if (p.type == "string") {
    if (!v.is_string()) return "must be a string" + got;
    if (!p.choices.empty()) {
      for (const auto& c : p.choices)
        if (c == v.as_string()) return "";
      return "must be one of " + join(p.choices) + got;
    }
  }
  if (p.type == "int64" && p.minimum && v.as_int() < *p.minimum) return "must be at least " + number(*p.minimum) + got;
  if (p.type == "int64" && p.maximum && v.as_int() > *p.maximum) return "must be at most " + number(*p.maximum) + got;
  return "";
}

std::string param_names(const std::vector<ParamInfo>& params) {
  std::vector<std::string> names;
  for (const auto& p : params) names.push_back(p.name);
  return join(names);
}

}  // namespace patchbay::detail
