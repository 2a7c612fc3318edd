// ChannelSpec: what a model says about a connector's channel. The backends themselves
// (inproc, zmq, ...) live behind patchbay/backend/channel.hpp, which a model user does
// not need: they register by name, and each one checks its own options.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "patchbay/error.hpp"
#include "patchbay/value.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

struct ChannelSpec {
  std::string type = "auto";  // "auto": the registered backend that fits the edge best
  std::size_t capacity = 0;   // values in flight; 0: the backend's default
  Value::Object options;      // the backend's own options (zmq: transport, host)
  // Where each option was written, when the model came from a file (not compared).
  std::map<std::string, SourceMark> option_marks;

  friend bool operator==(const ChannelSpec& a, const ChannelSpec& b) {
    return a.type == b.type && a.capacity == b.capacity && a.options == b.options;
  }
};

}  // namespace patchbay
#pragma GCC visibility pop
