// Not API: marks what libpatchbay exports. The library is built with hidden visibility,
// so only declarations marked PATCHBAY_API (the public API and the backend interface)
// are visible to programs and plugins.
#pragma once

#define PATCHBAY_API __attribute__((visibility("default")))
