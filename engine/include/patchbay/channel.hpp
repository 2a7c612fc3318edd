// Channel: the one interface through which the engine moves values along a connector.
// Backends (inproc, zmq, ...) implement it and register by name; the engine never names
// a particular backend. Every channel is bounded, FIFO, and never drops: a full channel
// makes the producer wait. Each channel has one producer and one consumer; an input fed
// by several connectors reads several channels.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "patchbay/detail/macros.hpp"
#include "patchbay/payload.hpp"
#include "patchbay/value.hpp"

namespace patchbay {

// Called by a channel when the other side may make progress (a value or close arrived,
// or space was freed). Must be cheap and must not block. The local process expects the
// call on the thread that is running the other end's component (inside try_send, close,
// try_receive or detach): it holds the wake-up until that component's slice ends. A
// backend with its own I/O thread must not call a waker from that thread.
class Waker {
 public:
  virtual void wake() noexcept = 0;

 protected:
  ~Waker() = default;
};

inline constexpr std::size_t kDefaultChannelCapacity = 64;

// What the model says about a connector's channel.
struct ChannelSpec {
  std::string type = "auto";  // auto | inproc | zmq | ...
  std::size_t capacity = 0;   // 0: the backend's default
  friend bool operator==(const ChannelSpec&, const ChannelSpec&) = default;
};

enum class ChannelOp { ok, full, empty, closed };

class Channel {
 public:
  virtual ~Channel() = default;

  // Producer side.
  virtual bool has_space() const = 0;
  // Moves `v` in and returns ok, or returns full and leaves `v` alone. After the consumer
  // detached, values are counted as left over and ok is returned.
  virtual ChannelOp try_send(Payload& v) = 0;
  // End of stream: the consumer sees closed once it has read everything before it.
  virtual void close() = 0;

  // Consumer side: ok (value moved to `out`), empty, or closed (closed and drained).
  virtual ChannelOp try_receive(Payload& out) = 0;
  // The consumer will read no more: queued and later values are counted, not kept.
  virtual void detach() = 0;
  // Values that reached this channel and were never consumed.
  virtual std::size_t left_over() const = 0;

  virtual void set_wakers(Waker* consumer, Waker* producer) = 0;
};

// Where an edge's two ends run, so a backend can say whether it can carry it.
struct EdgePlacement {
  std::string connector;  // "a.y -> b.x", for messages
  bool same_process = true;
};

class ChannelBackend {
 public:
  virtual ~ChannelBackend() = default;
  virtual std::string_view name() const = 0;
  virtual bool can_carry(const EdgePlacement& edge) const = 0;
  virtual std::unique_ptr<Channel> open(const ChannelSpec& spec, const EdgePlacement& edge) = 0;
};

// The registered backends, by name.
ChannelBackend* find_channel_backend(std::string_view name);
std::vector<std::string> channel_backend_names();

namespace detail {
struct ChannelBackendRegistration {
  explicit ChannelBackendRegistration(std::unique_ptr<ChannelBackend> backend);
};
}  // namespace detail

}  // namespace patchbay

#define PATCHBAY_CHANNEL_BACKEND(Class)                                            \
  static const ::patchbay::detail::ChannelBackendRegistration PATCHBAY_DETAIL_CAT( \
      patchbay_channel_registration_, __LINE__){std::make_unique<Class>()}
