// Not API: what the two halves of the multiprocess process type share.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace patchbay::detail {

inline constexpr std::string_view kMultiprocess = "multiprocess";

// The body of `patchbay-worker multiprocess ENDPOINT INDEX` (worker.cpp).
int run_multiprocess_worker(const std::vector<std::string>& args);

}  // namespace patchbay::detail
