// The process type interface: what runs a model (local, multiprocess, or one from a
// plugin) implements and registers by name, as component types and channel backends do.
// A process type checks its own `args`, says where each component runs, and makes the
// Process that runs a model. The engine core names none of them.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "patchbay/args.hpp"
#include "patchbay/detail/export.hpp"
#include "patchbay/detail/macros.hpp"
#include "patchbay/model.hpp"
#include "patchbay/process.hpp"

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

// Where the components of a model run: place[i] is the place (worker, rank) of
// model.components()[i]. Two places are separate OS processes unless `one_process`.
struct Placement {
  std::vector<int> place;
  int places = 1;
  bool one_process = true;
};

class PATCHBAY_API ProcessType {
 public:
  virtual ~ProcessType() = default;
  virtual std::string_view name() const = 0;
  // One line for `patchbay schema`.
  virtual std::string_view help() const = 0;
  // Its `args`. The engine rejects unknown ones and values of the wrong type or out of
  // range (ParamInfo's type, choices, minimum and maximum) before place() is called.
  virtual std::vector<ParamInfo> parameters() const = 0;
  // Places every component; reports what is wrong (a `worker:` that does not exist) in
  // `errors`, located at the component.
  virtual Placement place(const Model& model, std::vector<Error>& errors) const;
  // The Process that runs `model` (whose args were checked) with these options. Throws
  // ModelError for what only the options make wrong.
  virtual std::unique_ptr<Process> make(const Model& model, RunOptions options) const = 0;
  // The body of a worker program started for this type (`patchbay-worker NAME ARGS...`),
  // given ARGS; returns the exit status. Types that start no workers keep the default.
  virtual int worker_main(const std::vector<std::string>& args) const;
};

// The registered process types, by name, in the order they registered.
PATCHBAY_API const ProcessType* find_process_type(std::string_view name);
PATCHBAY_API std::vector<std::string> process_type_names();

// The threads a run uses in this process: `options.threads`, else the model's
// process.args.threads, else one per core. Throws ModelError when out of range.
PATCHBAY_API int run_threads(const Model& model, const RunOptions& options);

// `patchbay-worker [--plugin LIB.so]... NAME ARGS...`: loads the plugins (a plugin's
// process type names its own), then runs NAME's worker_main(ARGS). The worker program
// installed beside the library is only this call.
PATCHBAY_API int run_worker_program(int argc, char** argv);

namespace sdk {
struct PATCHBAY_API ProcessTypeRegistration {
  explicit ProcessTypeRegistration(std::unique_ptr<ProcessType> type);
};
}  // namespace sdk

}  // namespace patchbay
#pragma GCC visibility pop

#define PATCHBAY_PROCESS_TYPE(Class)                                            \
  static const ::patchbay::sdk::ProcessTypeRegistration PATCHBAY_DETAIL_CAT( \
      patchbay_process_registration_, __LINE__){std::make_unique<Class>()}
