// Renders a model's graph as Mermaid or Graphviz dot text.
#pragma once

#include <string>

#include "patchbay/model.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

enum class DiagramFormat { mermaid, dot };
std::string render_diagram(const Model& model, DiagramFormat format);

}  // namespace patchbay
#pragma GCC visibility pop
