// libFuzzer target: the coordinator's and the workers' control messages on any bytes.
// A message that does not parse, or whose fields do not fit its type, throws a
// nlohmann::json exception, which both sides report; nothing else may happen.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "../../processes/multiprocess/control_messages.hpp"

namespace {
template <class M>
void read_as(const patchbay::control::Received& m) {
  if (!m.is<M>()) return;
  M message = m.as<M>();
  // What was read encodes again and reads back the same way.
  auto again = patchbay::control::Received::parse(patchbay::control::encode(message));
  if (again.type() != m.type()) __builtin_trap();
  (void)again.template as<M>();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace patchbay::control;
  try {
    Received m = Received::parse(std::string_view(reinterpret_cast<const char*>(data), size));
    read_as<Hello>(m);
    read_as<Setup>(m);
    read_as<Declared>(m);
    read_as<Ports>(m);
    read_as<Bound>(m);
    read_as<Connect>(m);
    read_as<Ready>(m);
    read_as<Start>(m);
    read_as<Progress>(m);
    read_as<Stop>(m);
    read_as<Abort>(m);
    read_as<Report>(m);
    read_as<Failed>(m);
  } catch (const nlohmann::json::exception&) {
  }
  return 0;
}
