#include "support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

extern char** environ;

namespace patchbay::test {

RunningCli::RunningCli(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                       const std::vector<std::string>& env)
    : capture_(std::make_unique<TempDir>()) {
  auto out_path = *capture_ / "out", err_path = *capture_ / "err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  std::vector<std::string> argv_strings{PATCHBAY_CLI};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings = env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view var = *e;
    bool replaced = false;
    for (const auto& mine : env)
      replaced = replaced || var.substr(0, var.find('=') + 1) == mine.substr(0, mine.find('=') + 1);
    if (!replaced) env_strings.emplace_back(var);
  }
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  if (posix_spawn(&pid_, PATCHBAY_CLI, &actions, nullptr, argv.data(), envp.data()) != 0)
    throw std::runtime_error("cannot start " PATCHBAY_CLI);
  posix_spawn_file_actions_destroy(&actions);
}

RunningCli::~RunningCli() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    wait();
  }
}

CommandResult RunningCli::wait() {
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(*capture_ / "out");
  r.err = read_file(*capture_ / "err");
  return r;
}

CommandResult run_cli(const std::vector<std::string>& args, const std::filesystem::path& cwd, int interrupt_after_ms,
                      const std::vector<std::string>& env) {
  RunningCli cli(args, cwd, env);
  if (interrupt_after_ms >= 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(interrupt_after_ms));
    kill(cli.pid(), SIGINT);
  }
  return cli.wait();
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("patchbay-test-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

std::filesystem::path source_dir() { return PATCHBAY_SOURCE_DIR; }

}  // namespace patchbay::test
