// The ZeroMQ side of a process: one context and the pump, which reads every socket on
// which zmq channels receive: data at receiving ends, credits and acknowledgements at
// sending ends. The pump has a thread of its own, and it is also the engine's IdleWork:
// while a run lends it, the run's idle threads read the sockets and the pump's thread
// waits. Either way one thread at a time reads them (ZeroMQ sockets are not
// thread-safe), and a socket handed to the pump is read only by the pump until it is
// taken back.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "patchbay/backend/channel.hpp"

namespace patchbay::zmq_channel {

class ZmqPump final : public IdleWork {
 public:
  class Handler {
   public:
    // Called by the pump when `socket` has messages: read them without blocking.
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

  bool lend() override;
  void reclaim() override;
  void wait_and_handle() override;
  void interrupt() override;

 private:
  ZmqPump();
  void loop();   // the pump's own thread
  void begin_round();  // caller holds mutex_
  void round();        // one poll and its handlers, after begin_round()
  void poke();   // interrupts a poll; caller holds mutex_

  struct Entry {
    zmq::socket_t* socket;
    Handler* handler;
  };

  zmq::context_t context_;
  zmq::socket_t wake_receiver_;  // read in rounds
  zmq::socket_t wake_sender_;    // written under mutex_
  std::mutex mutex_;
  std::condition_variable round_cv_;  // a round ended or saw a new generation
  std::condition_variable lent_cv_;   // lent_ or stopping_ changed: for the pump's thread
  int waiting_ = 0;                   // threads waiting on round_cv_
  std::vector<Entry> entries_;
  std::uint64_t generation_ = 0;  // bumped by every add and remove
  std::uint64_t seen_ = 0;        // the generation that rounds poll
  bool in_round_ = false;         // a thread is polling or handling
  bool poked_ = false;            // a wake-up message is in the pipe, or a round is past its poll
  bool lent_ = false;
  bool stopping_ = false;
  // Owned by the thread in a round.
  std::vector<Entry> polled_;
  std::vector<zmq::pollitem_t> items_;
  std::thread thread_;
};

}  // namespace patchbay::zmq_channel
