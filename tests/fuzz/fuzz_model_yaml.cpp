// libFuzzer target: the model loader on any bytes. Whatever the input, reading returns
// (errors or a model) without crashing, hanging or growing without bound; a model that
// reads writes back to YAML that reads again; and checking it (which builds the built-in
// components) returns errors or none.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <patchbay/model_yaml.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // Read, not load: loading would open the plugins the input names.
  patchbay::LoadResult r = patchbay::read_model_string(text, "fuzz.yaml");
  if (!r.ok()) return 0;
  patchbay::LoadResult again = patchbay::read_model_string(patchbay::to_yaml(r.model), "again.yaml");
  if (!again.ok()) __builtin_trap();
  // FileReader opens its path when built (it reads the CSV header): not from here.
  for (const auto& c : r.model.components())
    if (c.type == "builtin.FileReader") return 0;
  (void)patchbay::check_model(r.model);
  return 0;
}
