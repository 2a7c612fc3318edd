// libFuzzer target: the zmq wire-format reader on any frames. The input is split into
// frames at each 0xF0 0x0D pair; every frame is read as a batch of records, as a
// receiving end would, and as a credit message. Errors are WireError, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <patchbay/payload.hpp>
#include <patchbay/port.hpp>

#include "../../channels/zmq/wire_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The types a receiving end knows from its ports.
  (void)patchbay::type_of<std::int64_t>();
  (void)patchbay::type_of<double>();
  (void)patchbay::type_of<std::string>();
  (void)patchbay::type_of<std::vector<double>>();
  (void)patchbay::type_of<patchbay::Value>();
  std::vector<std::basic_string_view<std::uint8_t>> frames;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 1 < size; ++i)
    if (data[i] == 0xF0 && data[i + 1] == 0x0D) {
      frames.emplace_back(data + start, i - start);
      start = i + 2;
    }
  frames.emplace_back(data + start, size - start);
  patchbay::wire::BatchReader reader;  // one per channel: type names carry over between frames
  for (std::size_t f = 0; f < frames.size(); ++f) {
    try {
      reader.start(frames[f].data(), frames[f].size());
      while (!reader.done()) {
        patchbay::wire::Record r = reader.next();
        if (r.tag == patchbay::wire::kBody && r.type && f + 1 < frames.size()) {
          ++f;
          (void)patchbay::wire::BatchReader::decode_body(*r.type, frames[f].data(), frames[f].size());
        }
      }
    } catch (const patchbay::wire::WireError&) {
    }
    try {
      (void)patchbay::wire::read_credit(frames[f].data(), frames[f].size());
    } catch (const patchbay::wire::WireError&) {
    }
  }
  return 0;
}
