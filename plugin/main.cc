// kubectl-kernel_secrets: the `kubectl kernel-secrets` plugin for secrets.kernelsecrets.dev.
// Exit codes: 0 done, 1 the API server or the input refused it, 2 a usage error.
#include <iostream>
#include <string>
#include <vector>

#include "plugin/arguments.h"
#include "plugin/commands.h"
#include "plugin/completion.h"

int main(int argc, char** argv) {
  // Hidden: what kubectl_complete-kernel_secrets asks for the shell (plugin/arguments.h).
  if (argc > 1 && std::string(argv[1]) == "__complete") {
    std::cout << ks::plugin::Complete({argv + 2, argv + argc});
    return 0;
  }
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
