#include "patchbay/diagram.hpp"

namespace patchbay {

namespace {
std::string node_id(const std::string& name) {
  std::string id = "n_";
  for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return id;
}
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}
}  // namespace

std::string render_diagram(const Model& model, DiagramFormat format) {
  std::string out;
  if (format == DiagramFormat::mermaid) {
    out += "flowchart LR\n";
    for (const auto& c : model.components())
      out += "  " + node_id(c.name) + "[\"" + c.name + "<br/><small>" + c.type + "</small>\"]\n";
    for (const auto& e : model.connectors()) {
      auto s = PortRef::parse(e.source), t = PortRef::parse(e.target);
      if (!s || !t) continue;
      out += "  " + node_id(s->component) + " -- \"" + s->port + " → " + t->port + "\" --> " + node_id(t->component) + "\n";
    }
  } else {
    out += "digraph model {\n  rankdir=LR;\n  node [shape=box];\n";
    for (const auto& c : model.components())
      out += "  " + node_id(c.name) + " [label=" + quoted(c.name + "\n" + c.type) + "];\n";
    for (const auto& e : model.connectors()) {
      auto s = PortRef::parse(e.source), t = PortRef::parse(e.target);
      if (!s || !t) continue;
      out += "  " + node_id(s->component) + " -> " + node_id(t->component) + " [label=" + quoted(s->port + " → " + t->port) + "];\n";
    }
    out += "}\n";
  }
  return out;
}

}  // namespace patchbay
