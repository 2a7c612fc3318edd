// Error policy: expected failures (a bad model, an unknown type, a port mismatch, a plugin
// that will not load) are returned as lists of Error, each naming where it comes from.
// An exception thrown by component code is caught by the runtime and reported with the
// component's name; it never escapes a run.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#pragma GCC visibility push(default)  // the public API: exported (patchbay/detail/export.hpp)
namespace patchbay {

// A place in a model file. Models built in C++ have no marks; their errors name the
// component or connector instead.
struct SourceMark {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
  bool known() const { return line > 0; }
  std::string str() const;  // "file:line:column"
  // The place of a value given on the command line (`--set TARGET=VALUE`), which is no
  // file: relative paths in it are taken from the current folder.
  static SourceMark command_line(const std::string& target) { return {"--set " + target, 0, 0}; }
  bool on_command_line() const { return file.starts_with("--set "); }
};

struct Error {
  SourceMark where;
  std::string message;
  std::string str() const;  // "file:line:column: message", or just the message
};

// Thrown by the API calls that cannot return a result list (running an invalid model).
class ModelError : public std::runtime_error {
 public:
  explicit ModelError(std::vector<Error> errors);
  const std::vector<Error>& errors() const { return errors_; }

 private:
  std::vector<Error> errors_;
};

std::string format_errors(const std::vector<Error>& errors);

// For "did you mean": the candidates closest to `name` that are a typo away from it (a
// third of its length in edits, at least one), closest first, at most three.
std::vector<std::string> closest_names(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace patchbay
#pragma GCC visibility pop
