// Not API: a replicated component (`replicas: N`) as every process type runs it. The model
// is rewritten before it is placed: the copies become components name[0] .. name[N-1],
// and the group's own name becomes a dispatcher that takes each input row (one value per
// connected input) and hands it to whichever copy is free. A copy says it is free by
// sending its index on a hidden output after every step, which the dispatcher's hidden
// input takes (first come, first served), so rows go to copies in the order they finish:
// a shared work queue, across processes as well, built from ordinary channels. The
// copies' outputs feed the group's targets directly (fan-in merges them).
//
// With `order: preserve` the dispatcher also says, on a hidden output, which copy took
// each row, and the copies' outputs go through a reorderer (name~out) instead: a copy
// sends every output each step (a NoValue marker where the step assigned nothing), and
// the reorderer reads the next row only from the copy that took it, so the group's
// outputs leave in input order. It holds nothing itself: what waits is in the channels,
// at most one row per copy, since a copy gets a row only when it is free.
#pragma once

#include <memory>
#include <string_view>

#include "patchbay/component.hpp"
#include "patchbay/model.hpp"
#include "patchbay/payload.hpp"

namespace patchbay::detail {

// The dispatcher's component type (never registered, so never listed or written).
inline constexpr std::string_view kDispatcherType = "patchbay.replicas";
// The hidden port on which each copy says it is free, and on which the dispatcher hears it.
inline constexpr std::string_view kReadyPort = "~ready";
// The reorderer's type, and the hidden port on which it hears which copy took each row.
inline constexpr std::string_view kReorderType = "patchbay.reorder";
inline constexpr std::string_view kOrderPort = "~order";
inline constexpr std::string_view kReorderSuffix = "~out";

// What a copy of an ordered group sends on an output its step left unassigned.
struct NoValue {};

bool has_replicas(const Model& model);
// The model with every replicated component rewritten as above; others as they are.
// Copies keep the group's marks, so errors point at the group in the file.
Model expand_replicas(const Model& model);

// The name of copy `i` of a group.
std::string copy_name(const std::string& group, int i);
// The group a copy, dispatcher or reorderer belongs to; empty for any other component.
std::string group_of(const ComponentSpec& spec);

bool is_dispatcher(const ComponentSpec& spec);
bool is_reorderer(const ComponentSpec& spec);
// The parts the engine adds (a dispatcher, a reorderer): not in reports or summaries.
inline bool is_engine_part(const ComponentSpec& spec) { return is_dispatcher(spec) || is_reorderer(spec); }
// The dispatcher or reorderer of a group, built from its rewritten spec.
std::unique_ptr<Component> make_engine_part(const ComponentSpec& spec);
// A NoValue marker (its type is registered when the engine loads).
Payload no_value();
bool is_no_value(const Payload& p);

}  // namespace patchbay::detail
