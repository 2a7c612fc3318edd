// Component: a stateful unit of work with typed input and output ports and parameters.
// The engine calls init() once, step() each time every connected input holds a new value
// (a source, with no inputs, steps until it calls close()), and stop() once at the end,
// however the run ends. Work belongs in those three; the constructor only declares.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "patchbay/args.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

class PortBase;
class InputPort;
class OutputPort;
template <class T>
class Input;
template <class T>
class Output;
namespace detail {
struct ComponentAccess;
class StopState;
}  // namespace detail

enum class Status { created, init, running, waiting, completed, failed, stopped };
std::string_view to_string(Status s);

class Component {
 public:
  explicit Component(const Args& args);
  virtual ~Component();
  Component(const Component&) = delete;
  Component& operator=(const Component&) = delete;

  virtual void init() {}
  virtual void step() = 0;
  virtual void stop() {}

  const std::string& name() const { return name_; }
  const std::string& type_name() const { return type_name_; }
  const std::vector<InputPort*>& inputs() const { return inputs_; }
  const std::vector<OutputPort*>& outputs() const { return outputs_; }
  InputPort* find_input(std::string_view name) const;
  OutputPort* find_output(std::string_view name) const;

  // The arguments, while the component is being constructed (parameters read them).
  const Args& args() const { return *args_; }

 protected:
  // A component calls close() when it has nothing more to emit (a source at its end, a
  // stage that has seen enough): its outputs close once the current step's values are
  // sent, and values still arriving on its inputs are counted as left over.
  void close() { closed_ = true; }
  bool closed() const { return closed_; }
  // True once the run is stopping (an error elsewhere, Ctrl-C). Long steps should check.
  bool stop_requested() const;
  // Sleeps, waking early when the run stops. Returns false if it was cut short.
  bool sleep_for(std::chrono::duration<double> d) const;

  // Ports made from arguments (a writer's fields, a timestamper's inputs).
  template <class T>
  Input<T>& add_input(std::string name);
  template <class T>
  Output<T>& add_output(std::string name);

 private:
  friend class InputPort;
  friend class OutputPort;
  friend struct detail::ComponentAccess;
  void attach(InputPort* port);
  void attach(OutputPort* port);
  void check_unique(const std::string& name) const;

  const Args* args_;
  std::string name_;
  std::string type_name_;
  std::vector<InputPort*> inputs_;
  std::vector<OutputPort*> outputs_;
  std::vector<std::unique_ptr<PortBase>> owned_ports_;
  bool closed_ = false;
  const detail::StopState* stop_ = nullptr;
};

}  // namespace patchbay
#pragma GCC visibility pop
