// Not API: conversions between yaml-cpp nodes and patchbay::Value.
#pragma once

#include <yaml-cpp/yaml.h>

#include "patchbay/error.hpp"
#include "patchbay/value.hpp"

namespace patchbay::detail {

// Plain scalars are typed the YAML 1.2 core-schema way (null, bool, int, float, string);
// quoted scalars are always strings.
Value yaml_to_value(const YAML::Node& node);
void emit_value(YAML::Emitter& out, const Value& v, bool flow = true);
SourceMark mark_of(const YAML::Node& node, const std::string& file);

}  // namespace patchbay::detail
