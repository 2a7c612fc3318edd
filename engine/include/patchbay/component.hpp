// Component: a stateful unit of work with typed input and output ports and parameters.
// The engine calls init() once, step() each time every connected input holds a new value
// (a source, with no inputs, steps until it calls close()), and stop() once at the end,
// however the run ends. Work belongs in those three; the constructor only declares.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
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
class ThreadPool;
}  // namespace detail

enum class Status { created, init, running, waiting, completed, failed, stopped };
std::string_view to_string(Status s);

class Component {
 public:
  explicit Component(const Args& args);
  virtual ~Component();
  Component(const Component&) = delete;
  Component& operator=(const Component&) = delete;

  // Marks an input that may be left unconnected: `Input<double> north{this, "north", optional};`.
  // A step never waits for an unconnected optional input; `north.has_value()` says
  // whether it holds a value this step. Connected, it is an input like any other.
  struct OptionalTag {};
  static constexpr OptionalTag optional{};
  // Marks an output that init() assigns, to start a feedback loop from code:
  // `Output<double> y{this, "y", seeded};`. Whatever init() assigns to any output is sent
  // when the run starts; a seeded output also counts as the loop's initial value, so a
  // cycle through it is not a load error.
  struct SeededTag {};
  static constexpr SeededTag seeded{};

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

  // For a step that blocks in anything else (a library call, a subprocess, I/O,
  // std::this_thread::sleep_for): while a Blocking guard lives, the step's pool thread is
  // lent away, as sleep_for lends it, so the other components keep running.
  //   { Blocking blocking(*this); result = slow_library_call(); }
  // or, for one call: `result = blocking([&] { return slow_library_call(); });`
  class Blocking {
   public:
    explicit Blocking(const Component& component);
    ~Blocking();
    Blocking(const Blocking&) = delete;
    Blocking& operator=(const Blocking&) = delete;

   private:
    detail::ThreadPool* lent_;  // the pool that lent the thread, or null (not a pool thread, or nested)
  };
  template <class F>
  decltype(auto) blocking(F&& f) const {
    Blocking guard(*this);
    return std::forward<F>(f)();
  }

  // Ports made from arguments (a writer's fields, a timestamper's inputs).
  template <class T>
  Input<T>& add_input(std::string name);
  template <class T>
  Input<T>& add_input(std::string name, OptionalTag);
  template <class T>
  Output<T>& add_output(std::string name);
  template <class T>
  Output<T>& add_output(std::string name, SeededTag);

 private:
  friend class InputPort;
  friend class OutputPort;
  friend struct detail::ComponentAccess;
  void attach(InputPort* port);
  void attach(OutputPort* port);
  void check_unique(const std::string& name) const;
  template <class Port, class... Tag>
  Port& own_port(std::string name, Tag... tag);  // what add_input and add_output make

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
