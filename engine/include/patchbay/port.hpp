// Ports: typed, named endpoints declared as component members.
//   patchbay::Input<double> x{this, "x"};
//   patchbay::Output<std::string> label{this, "label"};
// In step(), read an input as a const reference (`*x`, `x.get()`, or implicitly) and
// assign an output (`label = "hot";`). An output left unassigned sends nothing that step.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "patchbay/component.hpp"
#include "patchbay/payload.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

enum class Direction { input, output };

class PortBase {
 public:
  PortBase(const PortBase&) = delete;
  PortBase& operator=(const PortBase&) = delete;
  virtual ~PortBase() = default;

  const std::string& name() const { return name_; }
  const TypeInfo& type() const { return *type_; }
  Direction direction() const { return direction_; }
  Component& owner() const { return *owner_; }

 protected:
  PortBase(Component* owner, std::string name, const TypeInfo& type, Direction direction)
      : owner_(owner), name_(std::move(name)), type_(&type), direction_(direction) {}

 private:
  Component* owner_;
  std::string name_;
  const TypeInfo* type_;
  Direction direction_;
};

class InputPort : public PortBase {
 public:
  // The value this step consumes (empty outside step(), and for an optional input that
  // has none this step).
  const Payload& payload() const { return current_; }
  bool has_value() const { return !current_.empty(); }
  // Declared with Component::optional: may be left unconnected.
  bool is_optional() const { return optional_; }

 protected:
  // Registered here, once the InputPort part exists (not in PortBase's constructor).
  InputPort(Component* owner, std::string name, const TypeInfo& type, bool optional = false)
      : PortBase(owner, std::move(name), type, Direction::input), optional_(optional) {
    owner->attach(this);
  }

 private:
  friend struct detail::ComponentAccess;
  Payload current_;
  bool optional_;
};

class OutputPort : public PortBase {
 public:
  void send_payload(Payload p) { pending_ = std::move(p); }
  bool assigned() const { return !pending_.empty(); }
  // Declared with Component::seeded: init() assigns it, which starts a feedback loop.
  bool is_seeded() const { return seeded_; }

 protected:
  OutputPort(Component* owner, std::string name, const TypeInfo& type, bool seeded = false)
      : PortBase(owner, std::move(name), type, Direction::output), seeded_(seeded) {
    owner->attach(this);
  }

 private:
  friend struct detail::ComponentAccess;
  Payload pending_;
  bool seeded_;
};

namespace detail {
// A port type is recorded by name (type_of<T>) as soon as the library that declares a port
// of it is loaded, not when the first such port is built: a process that builds none of
// the components using it (a coordinator, another worker) still finds it by name.
template <class T>
struct __attribute__((visibility("hidden"))) PortType {  // one per library, each registering
  static inline const TypeInfo* const type = &type_of<T>();
};
}  // namespace detail

template <class T>
class Input : public InputPort {
 public:
  Input(Component* owner, std::string name) : InputPort(owner, std::move(name), *detail::PortType<T>::type) {}
  Input(Component* owner, std::string name, Component::OptionalTag)
      : InputPort(owner, std::move(name), *detail::PortType<T>::type, true) {}
  const T& get() const {
    if (payload().empty()) throw std::logic_error("input '" + name() + "' holds no value this step");
    return payload().template get<T>();
  }
  // Keeps the value beyond this step without copying it.
  std::shared_ptr<const T> shared() const { return payload().template shared<T>(); }
  const T& operator*() const { return get(); }
  const T* operator->() const { return &get(); }
  operator const T&() const { return get(); }
};

// A generic input: takes whatever the connected output sends, with its type attached.
template <>
class Input<Any> : public InputPort {
 public:
  Input(Component* owner, std::string name) : InputPort(owner, std::move(name), *detail::PortType<Any>::type) {}
  Input(Component* owner, std::string name, Component::OptionalTag)
      : InputPort(owner, std::move(name), *detail::PortType<Any>::type, true) {}
  const Payload& get() const { return payload(); }
  operator const Payload&() const { return payload(); }
  // The value as a Value (for printing, writing text); throws if the type has no conversion.
  Value to_value() const {
    const TypeInfo* t = payload().type();
    if (t == nullptr || t->to_value == nullptr)
      throw std::invalid_argument("input '" + name() + "': type " + (t ? t->name : "none") +
                                  " has no Value conversion");
    return t->to_value(payload());
  }
};

template <class T>
class Output : public OutputPort {
 public:
  Output(Component* owner, std::string name) : OutputPort(owner, std::move(name), *detail::PortType<T>::type) {}
  Output(Component* owner, std::string name, Component::SeededTag)
      : OutputPort(owner, std::move(name), *detail::PortType<T>::type, true) {}
  void send(T value) { send_payload(Payload::make<T>(std::move(value))); }
  // Sends a value that is already shared (a large buffer sent many times): no copy.
  void send(std::shared_ptr<const T> value) { send_payload(Payload::share<T>(std::move(value))); }
  Output& operator=(T value) {
    send(std::move(value));
    return *this;
  }
  Output& operator=(std::shared_ptr<const T> value) {
    send(std::move(value));
    return *this;
  }
};

// A generic output: forwards payloads of any type (a pass-through's `y = x;`).
template <>
class Output<Any> : public OutputPort {
 public:
  Output(Component* owner, std::string name) : OutputPort(owner, std::move(name), *detail::PortType<Any>::type) {}
  Output(Component* owner, std::string name, Component::SeededTag)
      : OutputPort(owner, std::move(name), *detail::PortType<Any>::type, true) {}
  void send(const Payload& p) { send_payload(p); }
  Output& operator=(const Payload& p) {
    send_payload(p);
    return *this;
  }
};

template <class Port, class... Tag>
Port& Component::own_port(std::string name, Tag... tag) {
  auto port = std::make_unique<Port>(this, std::move(name), tag...);
  Port& ref = *port;
  owned_ports_.push_back(std::move(port));
  return ref;
}

template <class T>
Input<T>& Component::add_input(std::string name) {
  return own_port<Input<T>>(std::move(name));
}
template <class T>
Input<T>& Component::add_input(std::string name, OptionalTag tag) {
  return own_port<Input<T>>(std::move(name), tag);
}
template <class T>
Output<T>& Component::add_output(std::string name) {
  return own_port<Output<T>>(std::move(name));
}
template <class T>
Output<T>& Component::add_output(std::string name, SeededTag tag) {
  return own_port<Output<T>>(std::move(name), tag);
}

}  // namespace patchbay
#pragma GCC visibility pop
