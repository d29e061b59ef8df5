// Orderly shutdown on SIGTERM and SIGINT without async-signal-unsafe handlers: the signals are
// blocked in every thread and a waiter collects them with sigtimedwait. Construct it first in
// main, before any thread starts, so that every thread inherits the blocked mask.
#pragma once

#include <signal.h>

#include <chrono>
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

}  // namespace ks
