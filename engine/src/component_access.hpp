// Not API: how the engine reaches into components and ports.
#pragma once

#include "patchbay/port.hpp"
#include "stop_state.hpp"

namespace patchbay::detail {

struct ComponentAccess {
  static void set_stop_state(Component& c, const StopState* s) { c.stop_ = s; }
  static bool closed(const Component& c) { return c.closed_; }
  static void forget_args(Component& c) { c.args_ = nullptr; }
  static Payload& current(InputPort& p) { return p.current_; }
  static Payload& pending(OutputPort& p) { return p.pending_; }
};

}  // namespace patchbay::detail
