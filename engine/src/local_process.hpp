// Not API: the `local` process type. Every component runs in this OS process; a fixed
// pool of threads steps whichever components are ready.
#pragma once

#include "patchbay/process.hpp"

namespace patchbay::detail {

std::unique_ptr<Process> make_local_process(const Model& model, RunOptions options);

}  // namespace patchbay::detail
