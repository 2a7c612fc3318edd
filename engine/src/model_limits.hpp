// Not API: what a model may be. A model file is checked before it is read, and every
// channel's capacity before the run. The limits are far above any model a person writes
// and stop hostile or broken ones (a device, an alias bomb, nesting that would exhaust
// the stack, a capacity allocated up front) with a located error instead of exhausting
// the machine.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "patchbay/error.hpp"

namespace patchbay::detail {

// Largest model file read (bytes); PATCHBAY_MAX_MODEL_BYTES raises or lowers it.
inline constexpr std::size_t kMaxModelBytes = 16u << 20;
// Values in the document once aliases are expanded (what the model would hold);
// PATCHBAY_MAX_MODEL_VALUES.
inline constexpr std::size_t kMaxModelValues = 1'000'000;
// Values a channel may hold (a backend may allocate room for all of them up front);
// PATCHBAY_MAX_CAPACITY.
inline constexpr std::size_t kMaxCapacity = 1u << 20;
// Maps and lists inside one another.
inline constexpr int kMaxModelDepth = 64;
// Copies of one replicated component, and the highest worker number a model may name.
inline constexpr int kMaxReplicas = 4096;
inline constexpr int kMaxWorker = 1 << 20;

std::size_t max_model_bytes();
std::size_t max_model_values();
std::size_t max_capacity();

// Where a second YAML document starts in `text`, if there is one. (YAML::Load reads the
// first and ignores the rest; YAML::LoadAll can loop forever on malformed input.)
std::optional<SourceMark> second_document(const std::string& text, const std::string& file);

// Appends an error for each duplicate key (at the second one), and one for too many
// values or too deep nesting (then stops looking).
void check_yaml_structure(const YAML::Node& root, const std::string& file, std::vector<Error>& errors);

}  // namespace patchbay::detail
