// The behavioural suite every channel backend passes: order, no loss, bounds and
// back-pressure, close, leftovers, wake-ups, two threads, and fan-out and fan-in inside a
// model. It runs unchanged over inproc, zmq over ipc and zmq over tcp. A backend may
// deliver later than try_send returns (zmq crosses a socket), so reads wait a little.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <patchbay/backend/channel.hpp>
#include <patchbay/process.hpp>

#include "support.hpp"

using namespace patchbay;
using namespace std::chrono_literals;

namespace {

struct Backend {
  const char* label;
  const char* type;
  const char* transport;
  bool shares_values;  // in-process: a value is handed over, not copied
};

const Backend kBackends[] = {
    {"inproc", "inproc", "", true},
    {"zmq ipc", "zmq", "ipc", false},
    {"zmq tcp", "zmq", "tcp", false},
};

struct CountingWaker final : Waker {
  std::atomic<int> wakes{0};
  void wake() noexcept override { wakes.fetch_add(1); }
};

std::unique_ptr<Channel> open(const Backend& backend, std::size_t capacity) {
  ChannelBackend* b = find_channel_backend(backend.type);
  REQUIRE(b != nullptr);
  ChannelSpec spec;
  spec.type = backend.type;
  spec.capacity = capacity;
  if (*backend.transport) spec.options.emplace_back("transport", Value(backend.transport));
  EdgePlacement edge;
  edge.connector = "test.y -> test.x";
  return b->open(spec, edge);
}

Payload int_payload(std::int64_t v) { return Payload::make<std::int64_t>(v); }

template <class F>
bool eventually(F condition, std::chrono::milliseconds limit = 5s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(100us);
  }
  return true;
}

// Waits for something other than `empty`.
ChannelOp receive(Channel& c, Payload& p) {
  ChannelOp op = ChannelOp::empty;
  eventually([&] { return (op = c.try_receive(p)) != ChannelOp::empty; });
  return op;
}

}  // namespace

TEST_CASE("every channel backend keeps order, bounds, close and leftovers") {
  for (const Backend& backend : kBackends) {
    std::string label = backend.label;
    CAPTURE(label);

    SUBCASE("values arrive in the order they were sent, none lost or repeated") {
      auto c = open(backend, 1000);
      for (std::int64_t i = 0; i < 1000; ++i) {
        Payload p = int_payload(i);
        REQUIRE(c->try_send(p) == ChannelOp::ok);
      }
      c->flush();
      for (std::int64_t i = 0; i < 1000; ++i) {
        Payload p;
        REQUIRE(receive(*c, p) == ChannelOp::ok);
        CHECK(p.get<std::int64_t>() == i);
      }
      std::this_thread::sleep_for(20ms);
      Payload p;
      CHECK(c->try_receive(p) == ChannelOp::empty);
    }

    SUBCASE("a full channel refuses more and keeps the refused value") {
      auto c = open(backend, 3);
      for (std::int64_t i = 0; i < 3; ++i) {
        Payload p = int_payload(i);
        REQUIRE(c->try_send(p) == ChannelOp::ok);
      }
      CHECK_FALSE(c->has_space());
      Payload extra = int_payload(99);
      CHECK(c->try_send(extra) == ChannelOp::full);
      CHECK(extra.get<std::int64_t>() == 99);
      Payload p;
      REQUIRE(receive(*c, p) == ChannelOp::ok);
      CHECK(eventually([&] { return c->has_space(); }));
      CHECK(c->try_send(extra) == ChannelOp::ok);
    }

    SUBCASE("back-pressure: a producer never gets ahead of a slow consumer by more than the capacity") {
      auto c = open(backend, 16);
      std::atomic<std::int64_t> sent{0};
      std::int64_t worst = 0;
      std::thread producer([&] {
        for (std::int64_t i = 0; i < 200; ++i) {
          Payload p = int_payload(i);
          while (c->try_send(p) == ChannelOp::full) std::this_thread::sleep_for(50us);
          sent.fetch_add(1);
        }
        c->close();
      });
      std::this_thread::sleep_for(50ms);  // nobody reads: the producer must stop at the bound
      CHECK(sent.load() == 16);
      std::int64_t expected = 0;
      for (;;) {
        Payload p;
        ChannelOp op = receive(*c, p);
        if (op != ChannelOp::ok) {
          CHECK(op == ChannelOp::closed);
          break;
        }
        CHECK(p.get<std::int64_t>() == expected++);
        // Until the next receive the consumer has taken `expected` values, so the producer
        // may have sent at most `expected` + 16 (read on this side: no race with the taking).
        std::this_thread::sleep_for(100us);
        worst = std::max(worst, sent.load() - expected);
      }
      producer.join();
      CHECK(expected == 200);
      CHECK(worst <= 16);
    }

    SUBCASE("close is seen only after every value before it") {
      auto c = open(backend, 8);
      Payload a = int_payload(1), b = int_payload(2);
      c->try_send(a);
      c->try_send(b);
      c->close();
      Payload p;
      CHECK(receive(*c, p) == ChannelOp::ok);
      CHECK(receive(*c, p) == ChannelOp::ok);
      CHECK(p.get<std::int64_t>() == 2);
      CHECK(receive(*c, p) == ChannelOp::closed);
      CHECK(c->try_receive(p) == ChannelOp::closed);
      CHECK(c->producer_finished());
    }

    SUBCASE("after the consumer detaches, queued and later values are counted as left over") {
      auto c = open(backend, 4);
      for (std::int64_t i = 0; i < 4; ++i) {
        Payload p = int_payload(i);
        c->try_send(p);
      }
      c->flush();
      c->detach();
      CHECK(eventually([&] { return c->left_over() == 4; }));
      CHECK(eventually([&] { return c->has_space(); }));
      Payload late = int_payload(5);
      CHECK(c->try_send(late) == ChannelOp::ok);
      c->close();
      CHECK(eventually([&] { return c->left_over() == 5; }));
      CHECK(eventually([&] { return c->producer_finished(); }));
    }

    SUBCASE("a consumer that found the channel empty is woken by the next value, a producer that found it full by the next read") {
      auto c = open(backend, 2);
      CountingWaker consumer, producer;
      c->set_wakers(&consumer, &producer);
      Payload p;
      REQUIRE(c->try_receive(p) == ChannelOp::empty);
      Payload a = int_payload(1), b = int_payload(2);
      c->try_send(a);
      c->flush();
      CHECK(eventually([&] { return consumer.wakes.load() >= 1; }));
      c->try_send(b);
      c->flush();
      CHECK_FALSE(c->has_space());
      CHECK(producer.wakes.load() == 0);
      CHECK(receive(*c, p) == ChannelOp::ok);
      CHECK(eventually([&] { return producer.wakes.load() >= 1; }));
      CHECK(receive(*c, p) == ChannelOp::ok);
      CHECK(c->try_receive(p) == ChannelOp::empty);
      int before_close = consumer.wakes.load();
      c->close();
      CHECK(eventually([&] { return consumer.wakes.load() > before_close; }));
      CHECK(c->try_receive(p) == ChannelOp::closed);
    }

    SUBCASE("no wake-up is lost when both sides race: a waiting consumer always hears of a value") {
      // The consumer goes idle only after it found the channel empty; it must then be
      // woken for every value it has not read. Counts how often it would have hung.
      auto c = open(backend, 8);
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
          if (i % 7 == 0) c->flush();  // a producer whose slices end at odd moments
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

    SUBCASE("a large array arrives whole (shared in-process, sent without a copy over zmq)") {
      auto c = open(backend, 2);
      std::vector<double> data(1 << 20);
      for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<double>(i) * 0.5;
      Payload big = Payload::make<std::vector<double>>(data);
      const void* address = big.shared_address();
      REQUIRE(c->try_send(big) == ChannelOp::ok);
      c->flush();
      Payload p;
      REQUIRE(receive(*c, p) == ChannelOp::ok);
      CHECK(p.get<std::vector<double>>() == data);
      if (backend.shares_values) CHECK(p.shared_address() == address);
    }

    SUBCASE("strings, numbers and Values keep their type and content") {
      auto c = open(backend, 8);
      Payload s = Payload::make<std::string>(std::string("h\0llo", 5));
      Payload d = Payload::make<double>(2.5);
      Value::Object o{{"a", Value(std::int64_t{1})}, {"b", Value(Value::Array{Value("x"), Value(true)})}};
      Payload v = Payload::make<Value>(Value(o));
      Payload empty_vec = Payload::make<std::vector<std::int32_t>>({});
      for (Payload* x : {&s, &d, &v, &empty_vec}) REQUIRE(c->try_send(*x) == ChannelOp::ok);
      c->flush();
      Payload p;
      REQUIRE(receive(*c, p) == ChannelOp::ok);
      CHECK(p.get<std::string>() == std::string("h\0llo", 5));
      REQUIRE(receive(*c, p) == ChannelOp::ok);
      CHECK(p.get<double>() == 2.5);
      REQUIRE(receive(*c, p) == ChannelOp::ok);
      CHECK(p.get<Value>() == Value(o));
      REQUIRE(receive(*c, p) == ChannelOp::ok);
      CHECK(p.type()->name == "vector<int32>");
      CHECK(p.get<std::vector<std::int32_t>>().empty());
    }

    SUBCASE("a producer and a consumer on two threads move 200000 values in order") {
      auto c = open(backend, 64);
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

TEST_CASE("every channel backend carries fan-out and fan-in inside a model") {
  for (const Backend& backend : kBackends) {
    std::string label = backend.label;
    CAPTURE(label);
    test::TempDir dir;
    Model m;
    m.connector_builder().type = backend.type;
    if (*backend.transport) m.connector_builder().options.emplace_back("transport", Value(backend.transport));
    m.add_component("builtin.Iterator", "src", {{"iters", Value(std::int64_t{20000})}});
    m.add_component("builtin.Passthrough", "left");
    m.add_component("builtin.Passthrough", "right");
    m.add_component("builtin.Checksum", "left-sum", {{"path", Value((dir / "left.json").string())}});
    m.add_component("builtin.Checksum", "both-sum", {{"path", Value((dir / "both.json").string())}});
    m.connect("src.x", "left.x");   // fan-out: every value to both
    m.connect("src.x", "right.x");
    m.connect("left.y", "left-sum.x");
    m.connect("left.y", "both-sum.x");  // fan-in: two connectors into one input
    m.connect("right.y", "both-sum.x");
    RunReport r = run(m);
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(test::read_file(dir / "left.json") == "{\"count\":20000,\"sum\":199990000,\"ordered\":true}\n");
    CHECK(test::read_file(dir / "both.json").starts_with("{\"count\":40000,\"sum\":399980000,"));
  }
}
