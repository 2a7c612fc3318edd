// What the zmq channel puts on the wire: values of each kind survive a round trip, and a
// malformed frame (truncated, a wrong type tag, an oversized length, an unknown type)
// is an error, never a crash or a read out of bounds (ASan watches this suite).
#include <doctest/doctest.h>

#include <cstring>

#include <patchbay/json.hpp>

#include "../channels/zmq/wire_format.hpp"

using namespace patchbay;
using namespace patchbay::wire;

namespace {

struct Point {
  double x = 0, y = 0;
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Point, x, y)
  bool operator==(const Point&) const = default;
};

std::vector<Record> read_all(const std::string& frame) {
  BatchReader reader;
  reader.start(reinterpret_cast<const unsigned char*>(frame.data()), frame.size());
  std::vector<Record> out;
  while (!reader.done()) out.push_back(reader.next());
  return out;
}

// Records written by hand, to make frames the writer never would.
template <class T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
std::string type_record(std::uint16_t id, const std::string& name) {
  std::string r(1, static_cast<char>(kType));
  put(r, id);
  put(r, static_cast<std::uint16_t>(name.size()));
  return r + name;
}
std::string value_record(std::uint16_t id, const std::string& bytes) {
  std::string r(1, static_cast<char>(kValue));
  put(r, id);
  put(r, static_cast<std::uint32_t>(bytes.size()));
  return r + bytes;
}

std::string one_int_frame() {
  BatchWriter w;
  w.add_value(Payload::make<std::int64_t>(42), false);
  return w.bytes();
}

}  // namespace

TEST_CASE("values of every kind come back from a batch as they went in") {
  type_of<Point>();  // a receiving process knows the types its ports use
  BatchWriter w;
  w.add_value(Payload::make<std::int64_t>(-7), false);
  w.add_value(Payload::make<double>(0.25), false);
  w.add_value(Payload::make<bool>(true), false);
  w.add_value(Payload::make<std::string>("héllo"), false);
  w.add_value(Payload::make<std::vector<float>>({1.5f, -2.0f}), false);
  w.add_value(Payload::make<Value>(Value(Value::Array{Value(std::int64_t{1}), Value("two")})), false);
  w.add_value(Payload::make<Point>(Point{1.0, 2.0}), false);
  w.add_value(Payload::make<std::int64_t>(8), false);  // a type seen before is not named again
  w.add_tag(kEnd);
  auto records = read_all(w.bytes());
  REQUIRE(records.size() == 9);
  CHECK(records[0].value.get<std::int64_t>() == -7);
  CHECK(records[1].value.get<double>() == 0.25);
  CHECK(records[2].value.get<bool>() == true);
  CHECK(records[3].value.get<std::string>() == "héllo");
  CHECK(records[4].value.get<std::vector<float>>() == std::vector<float>{1.5f, -2.0f});
  CHECK(records[5].value.get<Value>() == Value(Value::Array{Value(std::int64_t{1}), Value("two")}));
  CHECK(records[6].value.get<Point>() == Point{1.0, 2.0});
  CHECK(records[7].value.get<std::int64_t>() == 8);
  CHECK(records[8].tag == kEnd);
}

TEST_CASE("a value of a type with no wire encoding is refused at the sender, with the type's name") {
  struct Opaque {
    int* p;
  };
  BatchWriter w;
  CHECK_THROWS_WITH_AS(w.add_value(Payload::make<Opaque>(Opaque{nullptr}), false),
                       doctest::Contains("cannot leave its process"), std::runtime_error);
}

TEST_CASE("every truncation of a frame is an error, not a crash") {
  std::string frame = one_int_frame();
  for (std::size_t n = 1; n < frame.size(); ++n) {
    CAPTURE(n);
    CHECK_THROWS_AS(read_all(frame.substr(0, n)), WireError);
  }
  CHECK(read_all(frame).size() == 1);
}

TEST_CASE("malformed frames give errors that say what is wrong") {
  std::string frame = one_int_frame();
  // TYPE 0 "int64", then VALUE id:u16 len:u32 bytes.
  std::size_t value_at = 1 + 2 + 2 + std::strlen("int64");

  SUBCASE("an unknown record tag") {
    std::string bad = frame;
    bad[value_at] = 99;
    CHECK_THROWS_WITH_AS(read_all(bad), "unknown record tag 99", WireError);
  }
  SUBCASE("a value of a type never named") {
    std::string bad = frame;
    bad[value_at + 1] = 7;
    CHECK_THROWS_WITH_AS(read_all(bad), "value of undeclared type id 7", WireError);
  }
  SUBCASE("a length beyond the end of the frame") {
    std::string bad = frame;
    std::uint32_t huge = 0xfffffff0u;
    std::memcpy(bad.data() + value_at + 3, &huge, 4);
    CHECK_THROWS_WITH_AS(read_all(bad), doctest::Contains("truncated frame"), WireError);
  }
  SUBCASE("a length that does not fit the type") {
    std::string bad = type_record(0, "int64") + value_record(0, "abc");
    CHECK_THROWS_WITH_AS(read_all(bad), "bad int64 value: a int64 takes 8 bytes, got 3", WireError);
  }
  SUBCASE("a type this process does not know") {
    std::string bad = type_record(0, "no::such::type") + value_record(0, "12345678");
    CHECK_THROWS_WITH_AS(read_all(bad), doctest::Contains("values of type 'no::such::type' cannot be read"), WireError);
  }
  SUBCASE("type ids out of sequence") {
    CHECK_THROWS_WITH_AS(read_all(type_record(3, "int64")), "type id 3 out of sequence", WireError);
  }
  SUBCASE("CBOR that is not a Value") {
    BatchWriter w;
    w.add_value(Payload::make<Value>(Value("text")), false);
    std::string bad = w.bytes();
    bad.back() = '\xff';  // cut the string short: its length now overruns
    bad.pop_back();
    CHECK_THROWS_AS(read_all(bad), WireError);
  }
  SUBCASE("an array whose byte count is not a whole number of elements") {
    CHECK_THROWS_WITH_AS(BatchReader::decode_body(type_of<std::vector<double>>(),
                                                  reinterpret_cast<const unsigned char*>("12345"), 5),
                         doctest::Contains("not a whole number of doubles"), WireError);
  }
  SUBCASE("random bytes") {
    std::uint32_t seed = 12345;
    int refused = 0;
    for (int round = 0; round < 2000; ++round) {
      seed = seed * 1664525u + 1013904223u;
      std::string junk(1 + (seed >> 16) % 64, '\0');
      for (char& c : junk) {
        seed = seed * 1664525u + 1013904223u;
        c = static_cast<char>(seed >> 24);
      }
      try {
        read_all(junk);
      } catch (const WireError&) {
        ++refused;
      }
    }
    // No crash and no ASan report is the point; almost all junk must also be refused.
    CHECK(refused > 1900);
  }
}

TEST_CASE("credit messages are checked for size") {
  std::string m = credit_message(3, 4096);
  Credit c = read_credit(reinterpret_cast<const unsigned char*>(m.data()), m.size());
  CHECK(c.values == 3);
  CHECK(c.bytes == 4096);
  CHECK_THROWS_AS(read_credit(reinterpret_cast<const unsigned char*>(m.data()), m.size() - 1), WireError);
}
