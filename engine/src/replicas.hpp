// Not API: a replicated component (`replicas: N`) as every process type runs it. The model
// is rewritten before it is placed: the copies become components name[0] .. name[N-1],
// and the group's own name becomes a dispatcher that takes each input row (one value per
// connected input) and hands it to whichever copy is free. A copy says it is free by
// sending its index on a hidden output after every step, which the dispatcher's hidden
// input takes (first come, first served), so rows go to copies in the order they finish:
// a shared work queue, across processes as well, built from ordinary channels. The
// copies' outputs feed the group's targets directly (fan-in merges them).
#pragma once

#include <memory>
#include <string_view>

#include "patchbay/component.hpp"
#include "patchbay/model.hpp"

namespace patchbay::detail {

// The dispatcher's component type (never registered, so never listed or written).
inline constexpr std::string_view kDispatcherType = "patchbay.replicas";
// The hidden port on which each copy says it is free, and on which the dispatcher hears it.
inline constexpr std::string_view kReadyPort = "~ready";

bool has_replicas(const Model& model);
// The model with every replicated component rewritten as above; others as they are.
// Copies keep the group's marks, so errors point at the group in the file.
Model expand_replicas(const Model& model);

bool is_dispatcher(const ComponentSpec& spec);
// The dispatcher of a group, built from its rewritten spec.
std::unique_ptr<Component> make_dispatcher(const ComponentSpec& spec);

}  // namespace patchbay::detail
