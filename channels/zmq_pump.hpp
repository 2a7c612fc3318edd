// The ZeroMQ side of a process: one context and one thread (the pump) that reads every
// socket on which zmq channels receive: data at receiving ends, credits and
// acknowledgements at sending ends. ZeroMQ sockets are not thread-safe, so a socket
// handed to the pump is read only by the pump until it is taken back.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <zmq.hpp>

namespace patchbay::zmq_channel {

class ZmqPump {
 public:
  class Handler {
   public:
    // Called on the pump thread when `socket` has messages: read them without blocking.
    virtual void on_readable(zmq::socket_t& socket) = 0;

   protected:
    ~Handler() = default;
  };

  // The process's pump, started on first use and stopped when the last user lets go.
  static std::shared_ptr<ZmqPump> acquire();
  ~ZmqPump();

  zmq::context_t& context() { return context_; }
  // From now on the pump reads `socket` and calls `handler`.
  void add(zmq::socket_t& socket, Handler& handler);
  // Returns once the pump will not touch `socket` again.
  void remove(zmq::socket_t& socket);

 private:
  ZmqPump();
  void loop();
  void poke();  // interrupts the pump's poll; caller holds mutex_

  struct Entry {
    zmq::socket_t* socket;
    Handler* handler;
  };

  zmq::context_t context_;
  zmq::socket_t wake_receiver_;  // read by the pump
  zmq::socket_t wake_sender_;    // written under mutex_
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Entry> entries_;
  std::uint64_t generation_ = 0;  // bumped by every add and remove
  std::uint64_t seen_ = 0;        // the generation the pump polls
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace patchbay::zmq_channel
