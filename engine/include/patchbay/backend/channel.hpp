// The channel backend interface: what a backend (inproc, zmq, or one from a plugin)
// implements and registers by name. The engine moves every value through Channel and
// never names a particular backend. Every channel is bounded, FIFO, and never drops: a
// full channel makes the producer wait. Each channel has one producer and one consumer;
// an input fed by several connectors reads several channels.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patchbay/args.hpp"
#include "patchbay/channel.hpp"
#include "patchbay/detail/export.hpp"
#include "patchbay/detail/macros.hpp"
#include "patchbay/payload.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

// Called by a channel when the other side may make progress (a value or close arrived,
// or space was freed). Must be cheap and must not block. Unless the channel says
// wakes_from_other_threads(), the call comes on the thread that is running the other
// end's component (inside try_send, close, try_receive or detach), and the local process
// holds the wake-up until that component's slice ends. A backend with its own I/O thread
// says so, and then gets wakers that may be called from any thread.
class Waker {
 public:
  virtual void wake() noexcept = 0;

 protected:
  ~Waker() = default;
};

// I/O that a backend's own thread does (reading sockets, then waking nodes) and that the
// engine's idle threads may do instead: a value that arrives then runs its consumer on the
// thread that read it, one thread hand-off fewer each way. Between a successful lend() and
// reclaim(), the backend's thread leaves that I/O alone and at most one engine thread at a
// time is inside wait_and_handle(); while all engine threads are busy the I/O waits, as
// nothing could run what it would wake anyway.
class IdleWork {
 public:
  // False when another engine thread pool already has it.
  virtual bool lend() = 0;
  // The caller has no thread inside wait_and_handle() any more.
  virtual void reclaim() = 0;
  // Waits until there is I/O or interrupt() is called, handles what is there, returns.
  virtual void wait_and_handle() = 0;
  // Any thread: a wait_and_handle() in progress, or the next one, returns soon.
  virtual void interrupt() = 0;

 protected:
  ~IdleWork() = default;
};

enum class ChannelOp { ok, full, empty, closed };

class Channel {
 public:
  virtual ~Channel() = default;

  // Producer side.
  virtual bool has_space() const = 0;
  // Moves `v` in and returns ok, or returns full and leaves `v` alone. After the consumer
  // detached, values are counted as left over and ok is returned. Throws
  // std::runtime_error if the value cannot travel on this channel.
  virtual ChannelOp try_send(Payload& v) = 0;
  // A channel may hold sent values back to move them in batches; flush() hands them on.
  // The engine calls it when the producer's time slice ends and before it waits.
  virtual void flush() {}
  // End of stream: the consumer sees closed once it has read everything before it.
  virtual void close() = 0;

  // Consumer side: ok (value moved to `out`), empty, or closed (closed and drained).
  // Throws std::runtime_error naming the connector if what arrived cannot be read.
  virtual ChannelOp try_receive(Payload& out) = 0;
  // The consumer will read no more: queued and later values are counted, not kept.
  virtual void detach() = 0;
  // Values that reached this channel and were never consumed.
  virtual std::size_t left_over() const = 0;

  virtual void set_wakers(Waker* consumer, Waker* producer) = 0;
  // True if wakers are called from a thread of the backend's own (see Waker). Such a
  // channel's set_wakers() returns only when no call to the wakers it replaces is in
  // progress, so the engine can clear them before the nodes and threads behind them go.
  virtual bool wakes_from_other_threads() const { return false; }
  // Such a channel may have values, credits or a close on their way that will wake one
  // side later; the local process does not call a run stalled while any is. True when
  // the channel cannot tell (one end is in another process).
  virtual bool in_flight() const { return false; }
  // The I/O behind this channel's wake-ups, if the engine's idle threads may do it.
  virtual IdleWork* idle_work() { return nullptr; }

  // For a receiving end opened alone (EdgePlacement::Ends::receive): what the sending
  // end in the other process must be given to reach it.
  virtual std::string endpoint() const { return {}; }
  // For a receiving end: the producer, wherever it runs, has closed and everything it
  // sent has arrived, so left_over() is final.
  virtual bool producer_finished() const { return true; }
};

// Where an edge's two ends run, so a backend can say whether it can carry it, and which
// ends this process opens.
struct EdgePlacement {
  enum class Ends { both, send, receive };
  std::string connector;  // "a.y -> b.x", for messages
  bool same_process = true;
  bool same_host = true;
  Ends ends = Ends::both;
  std::string endpoint;   // Ends::send: the receiving end's endpoint()
};

// A problem with one option of a channel spec ("" for the spec as a whole).
struct OptionProblem {
  std::string option;
  std::string message;
};

class PATCHBAY_API ChannelBackend {
 public:
  virtual ~ChannelBackend() = default;
  virtual std::string_view name() const = 0;
  // One line for `patchbay schema`.
  virtual std::string_view help() const = 0;
  // The options a connector's `channel:` may give it, beside type and capacity. The
  // engine rejects unknown ones and values of the wrong type or out of range (ParamInfo's
  // type, choices, minimum and maximum) before check() sees them.
  virtual std::vector<ParamInfo> options() const { return {}; }
  // What else is wrong with these options (for example a combination it cannot honour).
  virtual std::vector<OptionProblem> check(const ChannelSpec&) const { return {}; }
  // Both answer from where the ends run (same_process, same_host) alone: the engine asks
  // once per kind of placement and keeps the answer.
  virtual bool can_carry(const EdgePlacement& edge) const = 0;
  // How much `auto` wants this backend for an edge it can carry: the highest wins; 0
  // means auto never picks it (it must be asked for by name).
  virtual int auto_preference(const EdgePlacement& edge) const = 0;
  virtual std::unique_ptr<Channel> open(const ChannelSpec& spec, const EdgePlacement& edge) = 0;
};

// The registered backends, by name, in the order they registered.
PATCHBAY_API ChannelBackend* find_channel_backend(std::string_view name);
PATCHBAY_API std::vector<std::string> channel_backend_names();

namespace sdk {
struct PATCHBAY_API ChannelBackendRegistration {
  explicit ChannelBackendRegistration(std::unique_ptr<ChannelBackend> backend);
};
}  // namespace sdk

}  // namespace patchbay
#pragma GCC visibility pop

#define PATCHBAY_CHANNEL_BACKEND(Class)                                            \
  static const ::patchbay::sdk::ChannelBackendRegistration PATCHBAY_DETAIL_CAT( \
      patchbay_channel_registration_, __LINE__){std::make_unique<Class>()}
