// zmq: a channel whose two ends may live in different processes (ipc://) or hosts
// (tcp://). Each connector has two socket pairs: data (PUSH -> PULL) from the sending end,
// control (PUSH -> PULL) back from the receiving end. The receiving end binds both; the
// sending end connects and says HELLO, and the channel is open once the receiving end
// answered (no sleeps).
//
// Bounds: the sending end may have at most `capacity` values (and about kWindowBytes) that
// the consumer has not yet taken; the consumer returns credits as it takes them. So a
// full channel makes the producer wait across processes, and neither side buffers more.
//
// Threads: the producer's thread encodes values into a batch and sends it on its data
// socket when the batch is full, when its time slice ends (flush) or when it runs out of
// credit. The process's pump (zmq_pump.hpp: its own thread, or an idle engine thread)
// reads data into a ring that the consumer takes from, and reads credits and
// acknowledgements for the producer; it wakes either side directly. The control socket
// of a receiving end is shared by the consumer (credits, detach) and the pump
// (acknowledgements) under a mutex.
//
// End of stream is an END record; the sending end keeps its socket until the receiving
// end acknowledged it, so nothing in flight is lost when a process lets go.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>

#include "patchbay/backend/channel.hpp"
#include "wire_format.hpp"
#include "zmq_pump.hpp"

namespace patchbay::zmq_channel {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kDefaultCapacity = 4096;    // values not yet taken by the consumer
constexpr std::uint64_t kWindowBytes = 16 << 20;  // bytes not yet taken (one value may exceed it)
constexpr std::size_t kBatchBytes = 64 << 10;     // a batch this large is sent at once
constexpr std::size_t kBodyBytes = 32 << 10;      // arrays this large go as their own frame, uncopied
constexpr std::int64_t kDefaultMaxMessage = std::int64_t{1} << 30;  // the largest message a receiving end takes
constexpr auto kHandshakeTimeout = 10s;
constexpr auto kEndAckTimeout = 5s;

std::atomic<unsigned> g_endpoint_count{0};

zmq::socket_t make_socket(zmq::context_t& context, zmq::socket_type type) {
  zmq::socket_t s(context, type);
  s.set(zmq::sockopt::linger, 0);
  s.set(zmq::sockopt::sndhwm, 0);  // the credits bound what is in flight, not ZeroMQ
  s.set(zmq::sockopt::rcvhwm, 0);
  return s;
}

// An option of the spec (checked against options() by the engine), or null.
const Value* find_option(const ChannelSpec& spec, std::string_view key) {
  for (const auto& [k, v] : spec.options)
    if (k == key) return &v;
  return nullptr;
}

std::int64_t int_option(const ChannelSpec& spec, std::string_view key, std::int64_t fallback) {
  const Value* v = find_option(spec, key);
  return v && v->is_int() ? v->as_int() : fallback;
}

std::string option(const ChannelSpec& spec, std::string_view key, std::string_view fallback) {
  const Value* v = find_option(spec, key);
  return v && v->is_string() ? v->as_string() : std::string(fallback);
}

class ZmqChannel final : public Channel, private ZmqPump::Handler {
 public:
  ZmqChannel(const ChannelSpec& spec, const EdgePlacement& edge)
      : label_(edge.connector),
        max_message_(static_cast<std::size_t>(int_option(spec, "max_message_bytes", kDefaultMaxMessage))),
        capacity_(spec.capacity ? spec.capacity : kDefaultCapacity),
        credit_step_values_(std::max<std::size_t>(1, capacity_ / 4)),
        mask_(std::bit_ceil(capacity_) - 1),
        ring_(std::bit_ceil(capacity_)),
        pump_(ZmqPump::acquire()) {
    try {
      if (edge.ends != EdgePlacement::Ends::send) open_receiver(spec);
      if (edge.ends != EdgePlacement::Ends::receive)
        open_sender(edge.ends == EdgePlacement::Ends::both ? endpoint() : edge.endpoint);
    } catch (const zmq::error_t& e) {
      teardown();
      throw std::runtime_error("connector " + label_ + ": " + e.what());
    } catch (...) {
      teardown();
      throw;
    }
  }

  ~ZmqChannel() override {
    if (data_out_ && closed_) {
      std::unique_lock lock(mutex_);
      // A receiving end that detached (its node never ran, or stopped) acknowledges nothing.
      cv_.wait_for(lock, kEndAckTimeout, [&] { return end_acked_ || peer_detached_.load(); });
    }
    teardown();
  }

  // --- producer side -------------------------------------------------------------------

  bool has_space() const override {
    if (room()) return true;
    producer_waiting_.store(true);
    return room();
  }

  ChannelOp try_send(Payload& v) override {
    if (!room()) {
      flush();  // the consumer can return credit only for what it has
      producer_waiting_.store(true);
      if (!room()) return ChannelOp::full;
    }
    const TypeInfo* t = v.type();
    bool body = t && t->wire.raw && t->wire.raw(v).second >= kBodyBytes;
    std::size_t size;
    try {
      size = writer_.add_value(v, body);
    } catch (const std::exception& e) {
      throw std::runtime_error("connector " + label_ + ": " + e.what());
    }
    // The receiving end refuses larger messages: say so here rather than lose the link.
    if (size + kBatchBytes + 64 > max_message_)  // its batch may hold kBatchBytes before it
      throw std::runtime_error("connector " + label_ + ": a value of " + std::to_string(size) +
                               " bytes is larger than the channel takes (max_message_bytes " +
                               std::to_string(max_message_) + ")");
    ++sent_values_;
    sent_bytes_ += size;
    if (body) bodies_.push_back(std::move(v));
    v.reset();
    if (body || writer_.bytes().size() >= kBatchBytes) flush();
    return ChannelOp::ok;
  }

  void flush() override {
    if (writer_.empty()) return;
    try {
      bool more = !bodies_.empty();
      send_or_throw(zmq::message_t(writer_.bytes().data(), writer_.bytes().size()), more);
      writer_.clear();
      flushed_values_.fetch_add(sent_values_ - counted_values_);
      counted_values_ = sent_values_;
      for (std::size_t i = 0; i < bodies_.size(); ++i) {
        auto [data, size] = bodies_[i].type()->wire.raw(bodies_[i]);
        // The frame points into the value; ZeroMQ lets go of it once it has been sent.
        auto* keep = new Payload(std::move(bodies_[i]));
        zmq::message_t m(const_cast<void*>(data), size, [](void*, void* hint) { delete static_cast<Payload*>(hint); },
                         keep);
        send_or_throw(std::move(m), i + 1 < bodies_.size());
      }
      bodies_.clear();
    } catch (const zmq::error_t& e) {
      throw std::runtime_error("connector " + label_ + ": cannot send: " + e.what());
    }
  }

  void close() override {
    if (!data_out_ || closed_) return;
    writer_.add_tag(wire::kEnd);
    flush();
    closed_ = true;
    end_sent_.store(true);
  }

  // --- consumer side -------------------------------------------------------------------

  ChannelOp try_receive(Payload& out) override {
    std::size_t h = head_.load(std::memory_order_relaxed);
    if (h == tail_cache_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (h == tail_cache_) {
        consumer_waiting_.store(true);
        tail_cache_ = tail_.load();
        if (h == tail_cache_) {
          if (failed_.load()) throw std::runtime_error("connector " + label_ + ": " + failure_);
          if (!end_received_.load()) return ChannelOp::empty;
          tail_cache_ = tail_.load();
          if (h == tail_cache_) return ChannelOp::closed;
        }
      }
    }
    Slot& slot = ring_[h & mask_];
    out = std::move(slot.value);
    credit_values_ += 1;
    credit_bytes_ += slot.size;
    head_.store(h + 1, std::memory_order_release);
    if (credit_values_ >= credit_step_values_ || credit_bytes_ >= kWindowBytes / 4) {
      send_control(wire::credit_message(static_cast<std::uint32_t>(credit_values_), credit_bytes_));
      credits_sent_.fetch_add(credit_values_);
      credit_values_ = 0;
      credit_bytes_ = 0;
    }
    return ChannelOp::ok;
  }

  void detach() override {
    if (detached_.exchange(true)) return;
    send_control(std::string(1, static_cast<char>(wire::kDetach)));
  }

  std::size_t left_over() const override {
    return static_cast<std::size_t>(tail_.load() - head_.load()) + discarded_.load();
  }

  void set_wakers(Waker* consumer, Waker* producer) override {
    std::lock_guard lock(wakers_mutex_);  // waits for a wake-up in progress on the pump
    consumer_ = consumer;
    producer_ = producer;
  }
  bool wakes_from_other_threads() const override { return true; }
  IdleWork* idle_work() override { return pump_.get(); }
  std::string endpoint() const override { return data_endpoint_ + " " + control_endpoint_; }
  bool producer_finished() const override { return end_received_.load() || failed_.load(); }
  // Each counter on the far side is raised only after the wake-up it causes.
  bool in_flight() const override {
    if (!data_out_ || !data_in_) return true;
    return flushed_values_.load() != delivered_.load() || end_sent_.load() != end_delivered_.load() ||
           credits_sent_.load() != credits_seen_.load() || detached_.load() != detach_seen_.load();
  }

 private:
  struct Slot {
    Payload value;
    std::size_t size = 0;
  };

  void open_receiver(const ChannelSpec& spec) {
    const std::string transport = option(spec, "transport", "ipc");
    data_in_ = make_socket(pump_->context(), zmq::socket_type::pull);
    // A peer announcing a larger message is disconnected before anything is buffered.
    data_in_->set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(max_message_));
    control_out_ = make_socket(pump_->context(), zmq::socket_type::push);
    // Acknowledgements must outlive this end for a moment, and the first one waits for
    // the sending end to connect.
    control_out_->set(zmq::sockopt::linger, 1000);
    control_out_->set(zmq::sockopt::sndtimeo, static_cast<int>(std::chrono::milliseconds(kHandshakeTimeout).count()));
    if (transport == "ipc") {
      std::string base = (std::filesystem::temp_directory_path() /
                          ("patchbay-" + std::to_string(getpid()) + "-" + std::to_string(g_endpoint_count.fetch_add(1))))
                             .string();
      data_in_->bind("ipc://" + base + "-d");
      control_out_->bind("ipc://" + base + "-c");
    } else if (transport == "tcp") {
      std::string host = option(spec, "host", "127.0.0.1");
      data_in_->bind("tcp://" + host + ":*");
      control_out_->bind("tcp://" + host + ":*");
    } else {
      throw std::runtime_error("connector " + label_ + ": unknown zmq transport '" + transport + "' (ipc or tcp)");
    }
    data_endpoint_ = data_in_->get(zmq::sockopt::last_endpoint);
    control_endpoint_ = control_out_->get(zmq::sockopt::last_endpoint);
    pump_->add(*data_in_, *this);
  }

  void open_sender(const std::string& endpoints) {
    auto space = endpoints.find(' ');
    if (space == std::string::npos)
      throw std::runtime_error("connector " + label_ + ": bad zmq endpoint '" + endpoints + "'");
    data_out_ = make_socket(pump_->context(), zmq::socket_type::push);
    control_in_ = make_socket(pump_->context(), zmq::socket_type::pull);
    control_in_->connect(endpoints.substr(space + 1));
    pump_->add(*control_in_, *this);
    data_out_->connect(endpoints.substr(0, space));
    writer_.add_tag(wire::kHello);
    flush();
    std::unique_lock lock(mutex_);
    if (!cv_.wait_for(lock, kHandshakeTimeout, [&] { return hello_acked_; }))
      throw std::runtime_error("connector " + label_ + ": no answer from the receiving end at " +
                               endpoints.substr(0, space) + " within 10 s");
  }

  void teardown() {
    if (control_in_) pump_->remove(*control_in_);
    if (data_in_) pump_->remove(*data_in_);
    control_in_.reset();
    data_in_.reset();
    data_out_.reset();
    control_out_.reset();
  }

  bool room() const {
    if (peer_detached_.load()) return true;
    return sent_values_ - returned_values_.load() < capacity_ && sent_bytes_ - returned_bytes_.load() < kWindowBytes;
  }

  void send_or_throw(zmq::message_t&& m, bool more) {
    auto flags = more ? zmq::send_flags::sndmore | zmq::send_flags::dontwait : zmq::send_flags::dontwait;
    if (!data_out_->send(m, flags)) throw std::runtime_error("connector " + label_ + ": the receiving end is gone");
  }

  void send_control(const std::string& message, bool wait = false) {
    std::lock_guard lock(control_mutex_);
    if (!control_out_) return;
    try {
      // Without waiting, a send fails only when the other end is gone; nothing to do then.
      control_out_->send(zmq::buffer(message), wait ? zmq::send_flags::none : zmq::send_flags::dontwait);
    } catch (const zmq::error_t&) {
    }
  }

  // Pump thread. `waker` is a reference to the member, so it is read under the lock.
  void wake(Waker* const& waker) {
    std::lock_guard lock(wakers_mutex_);
    if (waker) waker->wake();
  }

  void on_readable(zmq::socket_t& socket) override {
    if (&socket == &*data_in_) on_data();
    else on_control();
  }

  // Pump thread: values into the ring, END and HELLO answered.
  void on_data() {
    zmq::message_t frame;
    bool delivered = false;
    std::uint64_t count_before = delivered_here_;
    for (int n = 0; n < 256 && data_in_->recv(frame, zmq::recv_flags::dontwait); ++n) {
      bool more = frame.more();
      if (!failed_.load()) {
        try {
          read_batch(frame, more, delivered);
        } catch (const std::exception& e) {  // whatever arrives, the pump thread carries on
          failure_ = std::string("malformed data from the sending end: ") + e.what();
          failed_.store(true);
          delivered = true;
        }
      }
      while (more && data_in_->recv(frame, zmq::recv_flags::dontwait)) more = frame.more();
    }
    if (delivered && consumer_waiting_.load() && consumer_waiting_.exchange(false)) wake(consumer_);
    delivered_.fetch_add(delivered_here_ - count_before);
    if (end_received_.load()) end_delivered_.store(true);
  }

  // Reads one message; `more` tells whether frames of it are left unread (after an error).
  void read_batch(const zmq::message_t& frame, bool& more, bool& delivered) {
    reader_.start(static_cast<const unsigned char*>(frame.data()), frame.size());
    while (!reader_.done()) {
      wire::Record r = reader_.next();
      switch (r.tag) {
        case wire::kValue:
          deliver(std::move(r.value), r.size);
          delivered = true;
          break;
        case wire::kBody: {
          zmq::message_t body;
          if (!more || !data_in_->recv(body, zmq::recv_flags::dontwait))
            throw wire::WireError("a value's frame is missing");
          more = body.more();
          deliver(wire::BatchReader::decode_body(*r.type, static_cast<const unsigned char*>(body.data()), body.size()),
                  body.size());
          delivered = true;
          break;
        }
        case wire::kEnd:
          end_received_.store(true);
          send_control(std::string(1, static_cast<char>(wire::kEndAck)));
          delivered = true;
          break;
        case wire::kHello:
          send_control(std::string(1, static_cast<char>(wire::kHelloAck)), true);
          break;
        default:
          throw wire::WireError("unexpected record");
      }
    }
    if (more) throw wire::WireError("frames left after the last record");
  }

  void deliver(Payload v, std::size_t size) {
    ++delivered_here_;
    if (detached_.load()) {
      discarded_.fetch_add(1);
      return;
    }
    std::size_t t = tail_.load(std::memory_order_relaxed);
    if (t - head_.load(std::memory_order_acquire) > mask_)
      throw wire::WireError("the sending end sent more than its credit");
    ring_[t & mask_] = Slot{std::move(v), size};
    tail_.store(t + 1);
  }

  // Pump thread: credits and acknowledgements for the sending end.
  void on_control() {
    zmq::message_t m;
    bool notify = false;
    std::uint64_t credits = 0;
    bool detach = false;
    for (int n = 0; n < 256 && control_in_->recv(m, zmq::recv_flags::dontwait); ++n) {
      const auto* data = static_cast<const unsigned char*>(m.data());
      if (m.size() == 0) continue;
      switch (data[0]) {
        case wire::kCredit:
          try {
            wire::Credit c = wire::read_credit(data, m.size());
            returned_values_.fetch_add(c.values);
            returned_bytes_.fetch_add(c.bytes);
            credits += c.values;
            notify = true;
          } catch (const wire::WireError&) {
            // A credit we cannot read is lost: the producer waits, and the run reports it.
          }
          break;
        case wire::kDetach: {
          std::lock_guard lock(mutex_);
          peer_detached_.store(true);
          cv_.notify_all();
          detach = notify = true;
          break;
        }
        case wire::kHelloAck:
        case wire::kEndAck: {
          std::lock_guard lock(mutex_);
          (data[0] == wire::kHelloAck ? hello_acked_ : end_acked_) = true;
          cv_.notify_all();
          break;
        }
        default:
          break;
      }
    }
    if (notify && producer_waiting_.load() && producer_waiting_.exchange(false)) wake(producer_);
    credits_seen_.fetch_add(credits);
    if (detach) detach_seen_.store(true);
  }

  const std::string label_;
  const std::size_t max_message_;
  const std::size_t capacity_;
  const std::size_t credit_step_values_;
  const std::size_t mask_;
  std::vector<Slot> ring_;
  std::shared_ptr<ZmqPump> pump_;
  std::mutex wakers_mutex_;  // held by the pump while it calls a waker
  Waker* consumer_ = nullptr;
  Waker* producer_ = nullptr;

  // Sending end: the producer's thread, except control_in_ (the pump's).
  std::optional<zmq::socket_t> data_out_, control_in_;
  wire::BatchWriter writer_;
  std::vector<Payload> bodies_;  // array values sent as their own frames after the batch
  std::uint64_t sent_values_ = 0, sent_bytes_ = 0;
  bool closed_ = false;
  std::uint64_t counted_values_ = 0;  // of sent_values_, those in flushed_values_
  alignas(64) std::atomic<std::uint64_t> returned_values_{0}, returned_bytes_{0};
  std::atomic<bool> peer_detached_{false};
  mutable std::atomic<bool> producer_waiting_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  bool hello_acked_ = false, end_acked_ = false;  // under mutex_

  // Receiving end: data_in_ and reader_ are the pump's; the ring is shared.
  std::optional<zmq::socket_t> data_in_, control_out_;
  std::mutex control_mutex_;  // control_out_ is used by the consumer and the pump
  std::string data_endpoint_, control_endpoint_;
  wire::BatchReader reader_;
  alignas(64) std::atomic<std::size_t> tail_{0};
  alignas(64) std::atomic<std::size_t> head_{0};
  std::size_t tail_cache_ = 0;
  std::uint64_t credit_values_ = 0, credit_bytes_ = 0;
  alignas(64) std::atomic<bool> consumer_waiting_{false};
  std::atomic<bool> end_received_{false}, detached_{false}, failed_{false};
  std::atomic<std::size_t> discarded_{0};
  std::string failure_;  // written before failed_ is set
  std::uint64_t delivered_here_ = 0;  // pump only

  // For in_flight(): what one side did, and what the other has seen and acted on.
  std::atomic<std::uint64_t> flushed_values_{0}, delivered_{0}, credits_sent_{0}, credits_seen_{0};
  std::atomic<bool> end_sent_{false}, end_delivered_{false}, detach_seen_{false};
};

class ZmqBackend final : public ChannelBackend {
 public:
  std::string_view name() const override { return "zmq"; }
  std::string_view help() const override {
    return "ZeroMQ sockets between processes, over ipc (one host) or tcp (default capacity 4096)";
  }
  std::vector<ParamInfo> options() const override {
    return {{"transport", "string", Value("ipc"), false, "ipc (one host) or tcp", {"ipc", "tcp"}},
            {"host", "string", Value("127.0.0.1"), false, "tcp: the interface to bind"},
            {"max_message_bytes", "int64", Value(kDefaultMaxMessage), false,
             "the largest message (a value, or a batch of small ones) the receiving end takes", {}, 1 << 20,
             static_cast<double>(std::int64_t{1} << 40)}};
  }
  std::vector<OptionProblem> check(const ChannelSpec& spec) const override {
    if (find_option(spec, "host") && option(spec, "transport", "ipc") != "tcp")
      return {{"host", "'host' applies to transport tcp, not ipc"}};
    return {};
  }
  bool can_carry(const EdgePlacement&) const override { return true; }
  // Between processes, until a faster backend for the edge registers.
  int auto_preference(const EdgePlacement& edge) const override { return edge.same_process ? 0 : 50; }
  std::unique_ptr<Channel> open(const ChannelSpec& spec, const EdgePlacement& edge) override {
    return std::make_unique<ZmqChannel>(spec, edge);
  }
};

PATCHBAY_CHANNEL_BACKEND(ZmqBackend);

}  // namespace
}  // namespace patchbay::zmq_channel
