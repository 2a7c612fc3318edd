// The behavioural suite every channel backend passes: order, bounds, close, leftovers,
// wake-ups. It runs once per registered backend.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <patchbay/channel.hpp>

using namespace patchbay;

namespace {

struct CountingWaker final : Waker {
  std::atomic<int> wakes{0};
  void wake() noexcept override { wakes.fetch_add(1); }
};

std::unique_ptr<Channel> open(const std::string& backend, std::size_t capacity) {
  ChannelBackend* b = find_channel_backend(backend);
  REQUIRE(b != nullptr);
  ChannelSpec spec;
  spec.type = backend;
  spec.capacity = capacity;
  return b->open(spec, {"test.y -> test.x", true});
}

Payload int_payload(std::int64_t v) { return Payload::make<std::int64_t>(v); }

}  // namespace

TEST_CASE("every channel backend keeps order, bounds, close and leftovers") {
  auto names = channel_backend_names();
  REQUIRE(!names.empty());
  for (const auto& name : names) {
    CAPTURE(name);

    SUBCASE("values arrive in the order they were sent") {
      auto c = open(name, 1000);
      for (std::int64_t i = 0; i < 1000; ++i) {
        Payload p = int_payload(i);
        REQUIRE(c->try_send(p) == ChannelOp::ok);
      }
      for (std::int64_t i = 0; i < 1000; ++i) {
        Payload p;
        REQUIRE(c->try_receive(p) == ChannelOp::ok);
        CHECK(p.get<std::int64_t>() == i);
      }
      Payload p;
      CHECK(c->try_receive(p) == ChannelOp::empty);
    }

    SUBCASE("a full channel refuses more and keeps the refused value") {
      auto c = open(name, 3);
      for (std::int64_t i = 0; i < 3; ++i) {
        Payload p = int_payload(i);
        REQUIRE(c->try_send(p) == ChannelOp::ok);
      }
      CHECK_FALSE(c->has_space());
      Payload extra = int_payload(99);
      CHECK(c->try_send(extra) == ChannelOp::full);
      CHECK(extra.get<std::int64_t>() == 99);
      Payload p;
      REQUIRE(c->try_receive(p) == ChannelOp::ok);
      CHECK(c->has_space());
      CHECK(c->try_send(extra) == ChannelOp::ok);
    }

    SUBCASE("close is seen only after every value before it") {
      auto c = open(name, 8);
      Payload a = int_payload(1), b = int_payload(2);
      c->try_send(a);
      c->try_send(b);
      c->close();
      Payload p;
      CHECK(c->try_receive(p) == ChannelOp::ok);
      CHECK(c->try_receive(p) == ChannelOp::ok);
      CHECK(p.get<std::int64_t>() == 2);
      CHECK(c->try_receive(p) == ChannelOp::closed);
      CHECK(c->try_receive(p) == ChannelOp::closed);
    }

    SUBCASE("after the consumer detaches, queued and later values are counted as left over") {
      auto c = open(name, 4);
      for (std::int64_t i = 0; i < 4; ++i) {
        Payload p = int_payload(i);
        c->try_send(p);
      }
      c->detach();
      CHECK(c->left_over() == 4);
      CHECK(c->has_space());
      Payload late = int_payload(5);
      CHECK(c->try_send(late) == ChannelOp::ok);
      CHECK(c->left_over() == 5);
    }

    SUBCASE("a consumer that found the channel empty is woken by the next value, a producer that found it full by the next read") {
      auto c = open(name, 2);
      CountingWaker consumer, producer;
      c->set_wakers(&consumer, &producer);
      Payload p;
      REQUIRE(c->try_receive(p) == ChannelOp::empty);
      Payload a = int_payload(1), b = int_payload(2);
      c->try_send(a);
      CHECK(consumer.wakes.load() == 1);
      c->try_send(b);
      CHECK_FALSE(c->has_space());
      CHECK(producer.wakes.load() == 0);
      c->try_receive(p);
      CHECK(producer.wakes.load() == 1);
      c->try_receive(p);
      CHECK(c->try_receive(p) == ChannelOp::empty);
      int before_close = consumer.wakes.load();
      c->close();
      CHECK(consumer.wakes.load() > before_close);
      CHECK(c->try_receive(p) == ChannelOp::closed);
    }

    SUBCASE("no wake-up is lost when both sides race: a waiting consumer always hears of a value") {
      // The consumer goes idle only after it found the channel empty; it must then be
      // woken for every value it has not read. Counts how often it would have hung.
      auto c = open(name, 8);
      struct FlagWaker final : Waker {
        std::atomic<bool> woken{false};
        void wake() noexcept override { woken.store(true); }
      } consumer;
      CountingWaker producer;
      c->set_wakers(&consumer, &producer);
      constexpr int n = 100000;
      std::thread writer([&] {
        for (int i = 0; i < n; ++i) {
          Payload v = int_payload(i);
          while (c->try_send(v) == ChannelOp::full) std::this_thread::yield();
        }
        c->close();
      });
      int got = 0, lost = 0;
      for (;;) {
        Payload v;
        ChannelOp op = c->try_receive(v);
        if (op == ChannelOp::ok) {
          ++got;
          continue;
        }
        if (op == ChannelOp::closed) break;
        // Empty: wait to be woken, as the scheduler would; give up after a long while.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        while (!consumer.woken.exchange(false)) {
          if (std::chrono::steady_clock::now() > deadline) {
            ++lost;
            break;
          }
          std::this_thread::yield();
        }
      }
      writer.join();
      CHECK(lost == 0);
      CHECK(got == n);
    }

    SUBCASE("a value sent is shared, not copied") {
      auto c = open(name, 2);
      Payload big = Payload::make<std::vector<double>>(std::vector<double>(1 << 20, 1.0));
      const void* address = big.shared_address();
      c->try_send(big);
      Payload p;
      c->try_receive(p);
      CHECK(p.shared_address() == address);
    }

    SUBCASE("a producer and a consumer on two threads move 200000 values in order") {
      auto c = open(name, 64);
      constexpr std::int64_t n = 200000;
      std::thread producer([&] {
        for (std::int64_t i = 0; i < n; ++i) {
          Payload p = int_payload(i);
          while (c->try_send(p) == ChannelOp::full) std::this_thread::yield();
        }
        c->close();
      });
      std::int64_t expected = 0;
      bool ordered = true;
      for (;;) {
        Payload p;
        ChannelOp op = c->try_receive(p);
        if (op == ChannelOp::closed) break;
        if (op == ChannelOp::empty) {
          std::this_thread::yield();
          continue;
        }
        ordered = ordered && p.get<std::int64_t>() == expected;
        ++expected;
      }
      producer.join();
      CHECK(ordered);
      CHECK(expected == n);
    }
  }
}
