#include "play/interrupt.h"

#include <csignal>
#include <initializer_list>

#include <signal.h>

namespace webgames::play {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void on_interrupt(int) { g_interrupted = 1; }

}  // namespace

void catch_interrupts() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // the second signal has its default effect; no SA_RESTART
  for (int signal : {SIGINT, SIGTERM}) {
    struct sigaction previous {};
    ::sigaction(signal, nullptr, &previous);
    // A shell starts background jobs with SIGINT ignored; they stay deaf to it.
    if (previous.sa_handler == SIG_IGN) continue;
    ::sigaction(signal, &action, nullptr);
  }
}

bool interrupted() { return g_interrupted != 0; }

}  // namespace webgames::play
