#pragma once

#include "patchbay/detail/export.hpp"

namespace patchbay {
PATCHBAY_API const char* version();
}
