// Not API: checks a map of options (a process type's args, a channel backend's options)
// against the parameters its owner declares: unknown keys, types, choices and ranges. The
// owner names no option here; the messages name the owner (`what`).
#pragma once

#include <string>
#include <vector>

#include "patchbay/args.hpp"

namespace patchbay::detail {

// `what` starts each message ("process 'local'", "connector a.y -> b.x: channel 'zmq'");
// `noun` is "argument" or "option". Each problem is located at its key's mark when
// `mark_of` knows it, else at `fallback`.
template <class MarkOf>
void check_options(const std::vector<ParamInfo>& params, const Value::Object& values, const std::string& what,
                   const std::string& noun, const SourceMark& fallback, MarkOf mark_of, std::vector<Error>& errors);

// The problem with one value for a parameter, or "" when it fits.
std::string option_problem(const ParamInfo& p, const Value& v);

std::string param_names(const std::vector<ParamInfo>& params);

template <class MarkOf>
void check_options(const std::vector<ParamInfo>& params, const Value::Object& values, const std::string& what,
                   const std::string& noun, const SourceMark& fallback, MarkOf mark_of, std::vector<Error>& errors) {
  for (const auto& [key, value] : values) {
    SourceMark where = mark_of(key);
    if (!where.known()) where = fallback;
    const ParamInfo* param = nullptr;
    for (const auto& p : params)
      if (p.name == key) param = &p;
    if (param == nullptr) {
      std::string names = param_names(params);
      errors.push_back({where, what + ": unknown " + noun + " '" + key + "' (" +
                                   (names.empty() ? "it takes no " + noun + "s" : noun + "s: " + names) + ")"});
      continue;
    }
    if (std::string problem = option_problem(*param, value); !problem.empty())
      errors.push_back({where, what + ": '" + key + "' " + problem});
  }
  for (const auto& p : params) {
    if (!p.required) continue;
    bool given = false;
    for (const auto& [key, value] : values) given = given || key == p.name;
    if (!given) errors.push_back({fallback, what + ": missing required " + noun + " '" + p.name + "' (" + p.type + ")"});
  }
}

}  // namespace patchbay::detail
