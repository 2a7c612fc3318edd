#include "signal_watcher.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

namespace patchbay::cli {

namespace {
sigset_t watched() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);   // the terminal went away: stop as cleanly as for Ctrl-C
  sigaddset(&set, SIGUSR1);  // used to end the watcher
  return set;
}
}  // namespace

SignalWatcher::SignalWatcher(std::function<void()> on_stop) : on_stop_(std::move(on_stop)) {
  sigset_t set = watched();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([this, set] {
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      if (done_.load()) return;
      if (sig == SIGUSR1) continue;
      if (count_.fetch_add(1) >= 1) {
        const char msg[] = "\npatchbay: interrupted again, exiting now\n";
        (void)!write(2, msg, sizeof msg - 1);
        _exit(130);
      }
      on_stop_();
    }
  });
}

SignalWatcher::~SignalWatcher() {
  done_.store(true);
  pthread_kill(thread_.native_handle(), SIGUSR1);
  thread_.join();
}

}  // namespace patchbay::cli
