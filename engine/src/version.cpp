#include "patchbay/version.hpp"

namespace patchbay {
const char* version() { return PATCHBAY_VERSION; }
}  // namespace patchbay
