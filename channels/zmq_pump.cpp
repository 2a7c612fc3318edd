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
  }
  thread_.join();
  wake_sender_.close();
  wake_receiver_.close();
}

void ZmqPump::poke() {
  wake_sender_.send(zmq::const_buffer("", 0), zmq::send_flags::dontwait);
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
  cv_.wait(lock, [&] { return seen_ >= wanted; });
}

void ZmqPump::loop() {
  std::vector<Entry> entries;
  std::vector<zmq::pollitem_t> items;
  for (;;) {
    {
      // The handlers of the last round have returned: a remove() waiting for this
      // generation may now take its socket back.
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      if (seen_ != generation_) {
        entries = entries_;
        seen_ = generation_;
        cv_.notify_all();
      }
    }
    items.clear();
    items.push_back({wake_receiver_.handle(), 0, ZMQ_POLLIN, 0});
    for (const auto& e : entries) items.push_back({e.socket->handle(), 0, ZMQ_POLLIN, 0});
    zmq::poll(items, std::chrono::milliseconds(-1));
    if (items[0].revents & ZMQ_POLLIN) {
      zmq::message_t m;
      while (wake_receiver_.recv(m, zmq::recv_flags::dontwait)) {
      }
    }
    for (std::size_t i = 1; i < items.size(); ++i)
      if (items[i].revents & ZMQ_POLLIN) entries[i - 1].handler->on_readable(*entries[i - 1].socket);
  }
}

}  // namespace patchbay::zmq_channel
