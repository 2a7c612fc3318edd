// inproc: a bounded FIFO between two components of one OS process. Values move as
// Payloads (shared, never copied or serialised) through a lock-free ring with one
// producer and one consumer, which is what the engine guarantees for every channel.
//
// Wake-ups: a side that finds the channel empty (consumer) or full (producer) raises its
// `waiting` flag before looking once more; the other side, after publishing its index,
// reads the flag and wakes it if raised. Both use sequentially consistent operations, so
// of two racing sides at least one sees the other. In the common case neither is waiting
// and each side reads only a flag that rarely changes.
#include <atomic>
#include <bit>
#include <vector>

#include "patchbay/backend/channel.hpp"

namespace patchbay {
namespace {

class InprocChannel final : public Channel {
 public:
  explicit InprocChannel(std::size_t capacity)
      : capacity_(capacity), mask_(std::bit_ceil(capacity) - 1), ring_(std::bit_ceil(capacity)) {}

  bool has_space() const override {
    if (detached_.load(std::memory_order_seq_cst)) return true;
    std::size_t t = tail_.load(std::memory_order_relaxed);
    if (t - head_cache_ < capacity_) return true;
    head_cache_ = head_.load(std::memory_order_acquire);
    if (t - head_cache_ < capacity_) return true;
    producer_waiting_.store(true, std::memory_order_seq_cst);
    head_cache_ = head_.load(std::memory_order_seq_cst);
    return t - head_cache_ < capacity_;
  }

  ChannelOp try_send(Payload& v) override {
    if (detached_.load(std::memory_order_seq_cst)) return drop(v);
    if (!has_space()) return ChannelOp::full;
    std::size_t t = tail_.load(std::memory_order_relaxed);
    ring_[t & mask_] = std::move(v);
    tail_.store(t + 1, std::memory_order_seq_cst);
    wake_if_waiting(consumer_waiting_, consumer_);
    return ChannelOp::ok;
  }

  void close() override {
    closed_.store(true, std::memory_order_seq_cst);
    if (consumer_) consumer_->wake();
  }

  ChannelOp try_receive(Payload& out) override {
    std::size_t h = head_.load(std::memory_order_relaxed);
    if (h == tail_cache_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (h == tail_cache_) {
        consumer_waiting_.store(true, std::memory_order_seq_cst);
        tail_cache_ = tail_.load(std::memory_order_seq_cst);
        if (h == tail_cache_) {
          if (!closed_.load(std::memory_order_seq_cst)) return ChannelOp::empty;
          // Everything sent before the close is visible now.
          tail_cache_ = tail_.load(std::memory_order_seq_cst);
          if (h == tail_cache_) return ChannelOp::closed;
        }
      }
    }
    out = std::move(ring_[h & mask_]);
    head_.store(h + 1, std::memory_order_seq_cst);
    wake_if_waiting(producer_waiting_, producer_);
    return ChannelOp::ok;
  }

  void detach() override {
    // The consumer touches the ring no more. Values still in it are counted by
    // left_over(); the producer counts the ones it sends from now on.
    detached_.store(true, std::memory_order_seq_cst);
    if (producer_) producer_->wake();
  }

  std::size_t left_over() const override {
    // Called when both sides have finished.
    return dropped_.load() + (tail_.load() - head_.load());
  }

  void set_wakers(Waker* consumer, Waker* producer) override {
    consumer_ = consumer;
    producer_ = producer;
  }

 private:
  static void wake_if_waiting(std::atomic<bool>& waiting, Waker* waker) {
    if (waiting.load(std::memory_order_seq_cst) && waiting.exchange(false) && waker) waker->wake();
  }

  ChannelOp drop(Payload& v) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    v.reset();
    return ChannelOp::ok;
  }

  const std::size_t capacity_;
  const std::size_t mask_;
  std::vector<Payload> ring_;
  Waker* consumer_ = nullptr;
  Waker* producer_ = nullptr;

  // Producer side.
  alignas(64) std::atomic<std::size_t> tail_{0};
  mutable std::size_t head_cache_ = 0;
  std::atomic<std::size_t> dropped_{0};

  // Consumer side.
  alignas(64) std::atomic<std::size_t> head_{0};
  std::size_t tail_cache_ = 0;

  // Raised by a side that found nothing to do; cleared by the other when it wakes it.
  alignas(64) mutable std::atomic<bool> producer_waiting_{false};
  alignas(64) std::atomic<bool> consumer_waiting_{false};

  alignas(64) std::atomic<bool> closed_{false};
  std::atomic<bool> detached_{false};
};

// Values in flight when the model does not say: enough for batches to form, small
// enough that a stalled consumer holds its producer back soon.
constexpr std::size_t kDefaultCapacity = 64;

class InprocBackend final : public ChannelBackend {
 public:
  std::string_view name() const override { return "inproc"; }
  std::string_view help() const override { return "a lock-free ring inside one process (default capacity 64)"; }
  bool can_carry(const EdgePlacement& edge) const override { return edge.same_process; }
  // Nothing beats handing the value over inside one process.
  int auto_preference(const EdgePlacement&) const override { return 100; }
  std::unique_ptr<Channel> open(const ChannelSpec& spec, const EdgePlacement&) override {
    return std::make_unique<InprocChannel>(spec.capacity ? spec.capacity : kDefaultCapacity);
  }
};

PATCHBAY_CHANNEL_BACKEND(InprocBackend);

}  // namespace
}  // namespace patchbay
