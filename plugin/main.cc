// kubectl-kernel_secrets: the `kubectl kernel-secrets` plugin for secrets.kernelsecrets.dev.
// Exit codes: 0 done, 1 the API server or the input refused it, 2 a usage error.
#include <iostream>
#include <string>
#include <vector>

#include "plugin/arguments.h"
#include "plugin/commands.h"

int main(int argc, char** argv) {
  ks::StatusOr<ks::plugin::Invocation> invocation = ks::plugin::ParseArguments({argv + 1, argv + argc});
  if (!invocation.ok()) {
    std::cerr << "error: " << invocation.status().message();
    return 2;
  }
  if (invocation->help) {
    std::cout << ks::plugin::Usage(invocation->command);
    return 0;
  }
  return ks::plugin::Run(*invocation, {std::cin, std::cout, std::cerr});
}
