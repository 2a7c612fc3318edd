// inproc: a bounded FIFO between two components of one OS process. Values move as
// Payloads (shared, never copied or serialised). The ring starts small and grows up to
// the capacity, so ten thousand idle connectors cost little memory.
#include <algorithm>
#include <mutex>
#include <vector>

#include "patchbay/channel.hpp"

namespace patchbay {
namespace {

class InprocChannel final : public Channel {
 public:
  explicit InprocChannel(std::size_t capacity) : capacity_(capacity), ring_(std::min<std::size_t>(capacity, 4)) {}

  bool has_space() const override {
    std::lock_guard lock(mutex_);
    return detached_ || count_ < capacity_;
  }

  ChannelOp try_send(Payload& v) override {
    bool wake_consumer;
    {
      std::lock_guard lock(mutex_);
      if (detached_) {
        ++left_over_;
        v.reset();
        return ChannelOp::ok;
      }
      if (count_ == capacity_) return ChannelOp::full;
      if (count_ == ring_.size()) grow();
      ring_[(head_ + count_) % ring_.size()] = std::move(v);
      wake_consumer = count_++ == 0;
    }
    // Only an empty channel can have a consumer waiting on it.
    if (wake_consumer && consumer_) consumer_->wake();
    return ChannelOp::ok;
  }

  void close() override {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    if (consumer_) consumer_->wake();
  }

  ChannelOp try_receive(Payload& out) override {
    bool wake_producer;
    {
      std::lock_guard lock(mutex_);
      if (count_ == 0) return closed_ ? ChannelOp::closed : ChannelOp::empty;
      out = std::move(ring_[head_]);
      ring_[head_].reset();
      head_ = (head_ + 1) % ring_.size();
      // Only a full channel can have a producer waiting on it.
      wake_producer = count_-- == capacity_;
    }
    if (wake_producer && producer_) producer_->wake();
    return ChannelOp::ok;
  }

  void detach() override {
    {
      std::lock_guard lock(mutex_);
      detached_ = true;
      left_over_ += count_;
      for (auto& p : ring_) p.reset();
      count_ = 0;
    }
    if (producer_) producer_->wake();
  }

  std::size_t left_over() const override {
    std::lock_guard lock(mutex_);
    return left_over_;
  }

  void set_wakers(Waker* consumer, Waker* producer) override {
    consumer_ = consumer;
    producer_ = producer;
  }

 private:
  void grow() {
    std::vector<Payload> bigger(std::min(capacity_, ring_.size() * 2));
    for (std::size_t i = 0; i < count_; ++i) bigger[i] = std::move(ring_[(head_ + i) % ring_.size()]);
    ring_ = std::move(bigger);
    head_ = 0;
  }

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::vector<Payload> ring_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::size_t left_over_ = 0;
  bool closed_ = false;
  bool detached_ = false;
  Waker* consumer_ = nullptr;
  Waker* producer_ = nullptr;
};

class InprocBackend final : public ChannelBackend {
 public:
  std::string_view name() const override { return "inproc"; }
  bool can_carry(const EdgePlacement& edge) const override { return edge.same_process; }
  std::unique_ptr<Channel> open(const ChannelSpec& spec, const EdgePlacement&) override {
    return std::make_unique<InprocChannel>(spec.capacity ? spec.capacity : kDefaultChannelCapacity);
  }
};

PATCHBAY_CHANNEL_BACKEND(InprocBackend);

}  // namespace
}  // namespace patchbay
