// Renders a model's graph as Mermaid or Graphviz dot text.
#pragma once

#include <string>

#include "patchbay/model.hpp"

namespace patchbay {

enum class DiagramFormat { mermaid, dot };
std::string render_diagram(const Model& model, DiagramFormat format);

}  // namespace patchbay
