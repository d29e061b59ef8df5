// The injector's command line: --kubeconfig FILE --tls-cert FILE --tls-key FILE
// --bind-address ADDR --port N --kernel-selector key=value --log-format text|json, and --help.
// Each flag takes its value as the next argument or after '='.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "injector/kernel_selector.h"
#include "injector/logging.h"

namespace ks::injector {

struct InjectorFlags {
  std::string kubeconfig;  // empty: $KUBECONFIG, in-cluster, then ~/.kube/config
  std::string tls_cert;
  std::string tls_key;
  std::string bind_address = "127.0.0.1";
  uint16_t port = 8443;
  KernelSelector kernel_selector;
  LogFormat log_format = LogFormat::kText;
  bool help = false;
};

// `args` without the program name. InvalidArgument naming the flag on an unknown flag, a missing
// or malformed value, or a missing --tls-cert/--tls-key (unless --help).
StatusOr<InjectorFlags> ParseFlags(const std::vector<std::string>& args);

std::string Usage();

}  // namespace ks::injector
