// The bytes a zmq channel sends. Data goes from the sending end to the receiving end as
// messages whose first frame is a batch of records; a large array value rides in a frame
// of its own after it (sent without a copy). Control messages go the other way.
//
//   record   := TYPE id:u16 len:u16 name[len]   names a type for the records that follow
//             | VALUE id:u16 len:u32 bytes[len]
//             | BODY id:u16                      the value is the message's next frame
//             | END                              the sending end closed
//             | HELLO                            first message: the sending end connected
//   control  := HELLO_ACK | CREDIT values:u32 bytes:u64 | DETACH | END_ACK
//
// Integers are little-endian. Types are named once per channel, then referred to by id,
// so a generic (Any) port can carry values of several types.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "patchbay/payload.hpp"

namespace patchbay::wire {

enum Tag : std::uint8_t {
  kType = 1,
  kValue = 2,
  kBody = 3,
  kEnd = 4,
  kHello = 5,
  kHelloAck = 16,
  kCredit = 17,
  kDetach = 18,
  kEndAck = 19,
};

// A frame that cannot be read: truncated, an unknown tag or type, a bad length.
class WireError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Sending side: appends records to a batch.
class BatchWriter {
 public:
  // Appends a VALUE record, or a BODY record when `as_body` (the caller sends the bytes as
  // the next frame). Returns the number of bytes the value takes. Throws
  // std::runtime_error if the value's type has no wire codec.
  std::size_t add_value(const Payload& v, bool as_body);
  void add_tag(Tag t) { batch_.push_back(static_cast<char>(t)); }
  std::string& bytes() { return batch_; }
  bool empty() const { return batch_.empty(); }
  void clear() { batch_.clear(); }

 private:
  std::uint16_t type_id(const TypeInfo& t);
  std::string batch_;
  std::unordered_map<const TypeInfo*, std::uint16_t> ids_;
};

// What one record of a batch held.
struct Record {
  Tag tag;
  Payload value;            // kValue
  const TypeInfo* type = nullptr;  // kValue, kBody
  std::size_t size = 0;     // bytes the value took
};

// Receiving side: reads the records of successive batches; keeps the type names seen.
class BatchReader {
 public:
  // Starts on a new batch frame; the frame must outlive the reads.
  void start(const unsigned char* data, std::size_t size) {
    at_ = data;
    end_ = data + size;
  }
  bool done() const { return at_ == end_; }
  // The next record; TYPE records are taken in and skipped. Throws WireError.
  Record next();
  // Decodes the body frame of a kBody record.
  static Payload decode_body(const TypeInfo& type, const unsigned char* data, std::size_t size);

 private:
  const unsigned char* take(std::size_t n, const char* what);
  const TypeInfo& type_for(std::uint16_t id) const;
  const unsigned char* at_ = nullptr;
  const unsigned char* end_ = nullptr;
  std::vector<const TypeInfo*> types_;  // by id
};

// Control messages (one frame each).
std::string credit_message(std::uint32_t values, std::uint64_t bytes);
struct Credit {
  std::uint32_t values;
  std::uint64_t bytes;
};
Credit read_credit(const unsigned char* data, std::size_t size);  // throws WireError

}  // namespace patchbay::wire
