#include "zmq_pump.hpp"

#include <atomic>
#include <string>

namespace patchbay::zmq_channel {

namespace {
std::mutex g_pump_mutex;
std::weak_ptr<ZmqPump> g_pump;
std::atomic<unsigned> g_pump_count{0};
}  // namespace

std::shared_ptr<ZmqPump> ZmqPump::acquire() {
  std::lock_guard lock(g_pump_mutex);
  auto pump = g_pump.lock();
  if (!pump) {
    pump.reset(new ZmqPump());
    g_pump = pump;
  }
  return pump;
}

ZmqPump::ZmqPump()
    : context_(1), wake_receiver_(context_, zmq::socket_type::pair), wake_sender_(context_, zmq::socket_type::pair) {
  std::string endpoint = "inproc://patchbay-pump-" + std::to_string(g_pump_count.fetch_add(1));
  wake_receiver_.bind(endpoint);
  wake_sender_.connect(endpoint);
  thread_ = std::thread([this] { loop(); });
}

ZmqPump::~ZmqPump() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    poke();
    lent_cv_.notify_all();
  }
  thread_.join();
  wake_sender_.close();
  wake_receiver_.close();
}

// One wake-up message at a time: a poll needs only one to return. Sending one per call
// (a pool submits from another thread many times during one round) filled the pipe to
// its high-water mark, after which a send could fail unseen, and the stop that followed
// left a pool thread polling forever.
void ZmqPump::poke() {
  if (poked_) return;
  poked_ = static_cast<bool>(wake_sender_.send(zmq::const_buffer("", 0), zmq::send_flags::dontwait));
}

void ZmqPump::add(zmq::socket_t& socket, Handler& handler) {
  std::lock_guard lock(mutex_);
  entries_.push_back({&socket, &handler});
  ++generation_;
  poke();
}

void ZmqPump::remove(zmq::socket_t& socket) {
  std::unique_lock lock(mutex_);
  std::erase_if(entries_, [&](const Entry& e) { return e.socket == &socket; });
  std::uint64_t wanted = ++generation_;
  poke();
  // A round that started after this saw the new list; between rounds nobody polls.
  ++waiting_;
  round_cv_.wait(lock, [&] { return !in_round_ || seen_ >= wanted; });
  --waiting_;
}

bool ZmqPump::lend() {
  std::unique_lock lock(mutex_);
  if (lent_) return false;
  lent_ = true;
  poke();
  ++waiting_;
  round_cv_.wait(lock, [&] { return !in_round_; });  // the pump's thread is out of its round
  --waiting_;
  return true;
}

void ZmqPump::reclaim() {
  std::lock_guard lock(mutex_);
  lent_ = false;
  lent_cv_.notify_all();
}

void ZmqPump::interrupt() {
  std::lock_guard lock(mutex_);
  poke();
}

void ZmqPump::wait_and_handle() {
  {
    std::lock_guard lock(mutex_);
    begin_round();
  }
  round();
}

void ZmqPump::loop() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      lent_cv_.wait(lock, [&] { return stopping_ || !lent_; });
      if (stopping_) return;
      begin_round();
    }
    round();
  }
}

void ZmqPump::begin_round() {
  in_round_ = true;
  if (seen_ != generation_) {
    polled_ = entries_;
    seen_ = generation_;
    if (waiting_) round_cv_.notify_all();  // a remove() waiting for this generation may go on
  }
}

void ZmqPump::round() {
  items_.clear();
  items_.push_back({wake_receiver_.handle(), 0, ZMQ_POLLIN, 0});
  for (const auto& e : polled_) items_.push_back({e.socket->handle(), 0, ZMQ_POLLIN, 0});
  try {
    zmq::poll(items_, std::chrono::milliseconds(-1));
  } catch (const zmq::error_t& e) {
    if (e.num() != EINTR) throw;
    items_.resize(1);  // a signal: nothing to read this round
  }
  if (items_[0].revents & ZMQ_POLLIN) {
    zmq::message_t m;
    while (wake_receiver_.recv(m, zmq::recv_flags::dontwait)) {
    }
  }
  for (std::size_t i = 1; i < items_.size(); ++i)
    if (items_[i].revents & ZMQ_POLLIN) polled_[i - 1].handler->on_readable(*polled_[i - 1].socket);
  std::lock_guard lock(mutex_);
  in_round_ = false;
  // After the drain: a poke skipped since then found this round past its poll, and whoever
  // woke it looks again at what it was woken for once the round returns.
  poked_ = false;
  if (waiting_) round_cv_.notify_all();
}

}  // namespace patchbay::zmq_channel
