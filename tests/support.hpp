// Helpers shared by the tests: running the patchbay command, temporary folders, files.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace patchbay::test {

struct CommandResult {
  int exit_code = -1;  // 128 + signal number if killed
  std::string out;
  std::string err;
};

// Runs the built `patchbay` with the given arguments (no shell), in `cwd`.
// If `interrupt_after_ms` is set, sends SIGINT after that long. `env` adds or replaces
// environment variables ("NAME=value").
CommandResult run_cli(const std::vector<std::string>& args, const std::filesystem::path& cwd = {},
                      int interrupt_after_ms = -1, const std::vector<std::string>& env = {});

class TempDir;

// A `patchbay` started in the background, for tests that act on it while it runs.
class RunningCli {
 public:
  RunningCli(const std::vector<std::string>& args, const std::filesystem::path& cwd = {},
             const std::vector<std::string>& env = {});
  ~RunningCli();  // kills it if still running
  int pid() const { return pid_; }
  CommandResult wait();

 private:
  std::unique_ptr<TempDir> capture_;
  int pid_ = -1;
};

// A fresh empty folder, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& text);
std::filesystem::path source_dir();  // the repository root

}  // namespace patchbay::test
