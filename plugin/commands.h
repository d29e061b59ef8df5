// The plugin's commands, run against the API server: each reads what it needs, makes one change
// (or none), and reports in one line or one table. Errors are the API server's own messages.
// Nothing here ever prints or logs a secret's value.
#pragma once

#include <iosfwd>

#include "plugin/arguments.h"

namespace ks::plugin {

struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

// Loads the kubeconfig, runs `invocation` (parsed, not a help request) and returns the exit code:
// 0, or 1 after saying on `io.err` what went wrong.
int Run(const Invocation& invocation, Io io);

}  // namespace ks::plugin
