#pragma once

namespace patchbay {
const char* version();
}
