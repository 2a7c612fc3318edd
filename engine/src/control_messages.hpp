// Not API: the messages between the coordinator of a multiprocess run and its workers.
// Each is one JSON object with a "type"; they are few and small (setup, progress, a
// report at the end), so readability wins over speed here. Values never travel this way.
//
//   worker -> coordinator: hello, bound {endpoints}, ready, progress {steps, values,
//                          completed}, report {report}, failed {error}
//   coordinator -> worker: setup {model, plugins, file, threads}, connect {endpoints},
//                          start, stop {interrupted}, abort
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "patchbay/process.hpp"

namespace patchbay::detail {

nlohmann::json report_to_json(const RunReport& report);
RunReport report_from_json(const nlohmann::json& j);

}  // namespace patchbay::detail
