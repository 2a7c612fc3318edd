// Allocator settings for programs that move large values between threads.
#pragma once

#include "patchbay/detail/export.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

// Tells glibc's allocator to keep freed memory (up to 64 MB per arena) and to serve
// buffers below 32 MB from the heap. Values are often buffers made on one thread and
// freed on another; with the defaults each one's pages go back to the kernel and are
// faulted in again (64 KiB arrays ran 4x slower). Process-wide, so the library never
// calls it itself: the `patchbay` program and its workers do, at start; a program
// embedding the library may.
PATCHBAY_API void keep_freed_memory();

}  // namespace patchbay
#pragma GCC visibility pop
