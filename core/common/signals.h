// Orderly shutdown on SIGTERM and SIGINT without async-signal-unsafe handlers: the signals are
// blocked in every thread and a waiter collects them with sigtimedwait. Construct it first in
// main, before any thread starts, so that every thread inherits the blocked mask.
#pragma once

#include <signal.h>

#include <chrono>
#include <functional>
#include <optional>

namespace ks {

class TerminationSignals {
 public:
  TerminationSignals();

  // The signal received, or nullopt when `timeout` passed first.
  std::optional<int> WaitFor(std::chrono::milliseconds timeout) const;
  int Wait() const;

  // Asks the process to stop, as if SIGTERM had arrived (e.g. a leader that lost its Lease).
  static void RequestStop();

 private:
  sigset_t signals_;
};

enum class ReadyOrStopped { kReady, kStopRequested, kTimedOut };

// Waits until `ready(slice)` (which may block up to `slice`, e.g. a cache's WaitForSync) holds, a
// termination signal arrives, or `timeout` passes, checking for the signal between slices so that
// a SIGTERM during a slow start still stops the process at once. A signal is consumed, as Wait does.
ReadyOrStopped AwaitReadyOrStop(const TerminationSignals& signals,
                                const std::function<bool(std::chrono::milliseconds slice)>& ready,
                                std::chrono::steady_clock::duration timeout);

}  // namespace ks
