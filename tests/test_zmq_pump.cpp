// The zmq pump as a run's IdleWork: however many interrupts came while no thread waited
// in it, the next wait returns, and so does every wait after a later interrupt. (Before,
// each interrupt sent a message: thousands during one round filled the wake-up pipe, a
// later send failed unseen, and a pool thread waited in the pump forever at the end of
// a run.)
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "zmq_pump.hpp"

using namespace std::chrono_literals;
using patchbay::zmq_channel::ZmqPump;

namespace {
// Runs one wait_and_handle() on another thread; true if it returned within `limit`.
bool wait_returns(ZmqPump& pump, std::chrono::milliseconds limit) {
  auto done = std::async(std::launch::async, [&] { pump.wait_and_handle(); });
  if (done.wait_for(limit) == std::future_status::ready) return true;
  pump.interrupt();  // let the thread go before the test fails
  return false;
}
}  // namespace

TEST_CASE("the zmq pump wakes its waiter after any number of interrupts, and again after each later one") {
  std::shared_ptr<ZmqPump> pump = ZmqPump::acquire();
  REQUIRE(pump->lend());
  for (int i = 0; i < 5000; ++i) pump->interrupt();  // far past the pipe's high-water mark
  CHECK(wait_returns(*pump, 2000ms));
  for (int round = 0; round < 200; ++round) {
    pump->interrupt();
    REQUIRE_MESSAGE(wait_returns(*pump, 2000ms), "round " << round);
  }
  // An interrupt from another thread while the waiter is already waiting.
  auto done = std::async(std::launch::async, [&] { pump->wait_and_handle(); });
  std::this_thread::sleep_for(20ms);
  pump->interrupt();
  CHECK(done.wait_for(2000ms) == std::future_status::ready);
  pump->reclaim();
}
