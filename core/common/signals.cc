#include "core/common/signals.h"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>

namespace ks {

TerminationSignals::TerminationSignals() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGTERM);
  sigaddset(&signals_, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
}

std::optional<int> TerminationSignals::WaitFor(std::chrono::milliseconds timeout) const {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const timespec wait{.tv_sec = seconds.count(),
                      .tv_nsec = std::chrono::duration_cast<std::chrono::nanoseconds>(timeout - seconds).count()};
  int signal = -1;
  do {
    signal = sigtimedwait(&signals_, nullptr, &wait);
  } while (signal < 0 && errno == EINTR);
  if (signal < 0) return std::nullopt;
  return signal;
}

int TerminationSignals::Wait() const {
  int signal = 0;
  sigwait(&signals_, &signal);
  return signal;
}

void TerminationSignals::RequestStop() { kill(getpid(), SIGTERM); }

ReadyOrStopped AwaitReadyOrStop(const TerminationSignals& signals,
                                const std::function<bool(std::chrono::milliseconds slice)>& ready,
                                std::chrono::steady_clock::duration timeout) {
  constexpr std::chrono::milliseconds kSlice{200};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ready(kSlice)) {
    if (signals.WaitFor(std::chrono::milliseconds(0))) return ReadyOrStopped::kStopRequested;
    if (std::chrono::steady_clock::now() >= deadline) return ReadyOrStopped::kTimedOut;
  }
  return ReadyOrStopped::kReady;
}

}  // namespace ks
