#include "component_access.hpp"
#include "patchbay/component.hpp"
#include "patchbay/port.hpp"

#include <thread>

namespace patchbay {

std::string_view to_string(Status s) {
  switch (s) {
    case Status::created: return "created";
    case Status::init: return "init";
    case Status::running: return "running";
    case Status::waiting: return "waiting";
    case Status::completed: return "completed";
    case Status::failed: return "failed";
    case Status::stopped: return "stopped";
  }
  return "?";
}

Component::Component(const Args& args)
    : args_(&args), name_(args.component_name()), type_name_(args.type_name()) {}

Component::~Component() = default;

void Component::check_unique(const std::string& name) const {
  if (find_input(name) || find_output(name)) throw std::invalid_argument("two ports named '" + name + "'");
}

void Component::attach(InputPort* port) {
  check_unique(port->name());
  inputs_.push_back(port);
}

void Component::attach(OutputPort* port) {
  check_unique(port->name());
  outputs_.push_back(port);
}

InputPort* Component::find_input(std::string_view name) const {
  for (auto* p : inputs_)
    if (p->name() == name) return p;
  return nullptr;
}

OutputPort* Component::find_output(std::string_view name) const {
  for (auto* p : outputs_)
    if (p->name() == name) return p;
  return nullptr;
}

bool Component::stop_requested() const { return stop_ != nullptr && stop_->requested(); }

bool Component::sleep_for(std::chrono::duration<double> d) const {
  auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(d);
  if (stop_ == nullptr) {
    std::this_thread::sleep_for(wait);
    return true;
  }
  return stop_->sleep_for(wait);
}

Component::Blocking::Blocking(const Component& component)
    : lent_(component.stop_ ? component.stop_->lend() : nullptr) {}

Component::Blocking::~Blocking() { detail::StopState::give_back(lent_); }

}  // namespace patchbay
