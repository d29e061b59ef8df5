#include "injector/flags.h"

#include <charconv>
#include <map>

#include "core/api/constants.h"

namespace ks::injector {
namespace {

StatusOr<uint16_t> ParsePort(const std::string& text) {
  unsigned port = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc() || end != text.data() + text.size() || port > 65535) {
    return InvalidArgument("--port must be a number from 0 to 65535, got \"" + text + "\"");
  }
  return static_cast<uint16_t>(port);
}

StatusOr<LogFormat> ParseLogFormat(const std::string& text) {
  if (text == "text") return LogFormat::kText;
  if (text == "json") return LogFormat::kJson;
  return InvalidArgument("--log-format must be text or json, got \"" + text + "\"");
}

Status SetFlag(InjectorFlags& flags, const std::string& name, const std::string& value) {
  if (name == "--kubeconfig") {
    flags.kubeconfig = value;
  } else if (name == "--tls-cert") {
    flags.tls_cert = value;
  } else if (name == "--tls-key") {
    flags.tls_key = value;
  } else if (name == "--bind-address") {
    flags.bind_address = value;
  } else if (name == "--port") {
    auto port = ParsePort(value);
    if (!port.ok()) return port.status();
    flags.port = *port;
  } else if (name == "--kernel-selector") {
    auto selector = KernelSelector::Parse(value);
    if (!selector.ok()) return selector.status();
    flags.kernel_selector = *selector;
  } else if (name == "--log-format") {
    auto format = ParseLogFormat(value);
    if (!format.ok()) return format.status();
    flags.log_format = *format;
  } else {
    return InvalidArgument("unknown flag " + name);
  }
  return Status::Ok();
}

}  // namespace

StatusOr<InjectorFlags> ParseFlags(const std::vector<std::string>& args) {
  InjectorFlags flags;
  flags.kernel_selector = KernelSelector::Parse(api::kDefaultKernelSelector).value();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help") {
      flags.help = true;
      return flags;
    }
    const auto equals = arg.find('=');
    std::string name = arg.substr(0, equals);
    std::string value;
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return InvalidArgument("flag " + name + " needs a value");
    }
    KS_RETURN_IF_ERROR(SetFlag(flags, name, value));
  }
  if (flags.tls_cert.empty() || flags.tls_key.empty()) {
    return InvalidArgument("--tls-cert and --tls-key are required");
  }
  return flags;
}

std::string Usage() {
  return "Usage: kernel-secrets-injector --tls-cert FILE --tls-key FILE [flags]\n"
         "\n"
         "Serves the mutating webhook that gives notebook kernel pods their project's secrets.\n"
         "\n"
         "  --kubeconfig FILE          kubeconfig to use (default: $KUBECONFIG, in-cluster, ~/.kube/config)\n"
         "  --tls-cert FILE            serving certificate chain (PEM), reloaded when it changes\n"
         "  --tls-key FILE             serving key (PEM), reloaded when it changes\n"
         "  --bind-address ADDR        address to listen on (default 127.0.0.1)\n"
         "  --port N                   port to listen on (default 8443)\n"
         "  --kernel-selector K=V      label that marks kernel pods (default kernelsecrets.dev/inject=true)\n"
         "  --log-format text|json     log line format (default text)\n"
         "  --help                     print this help\n"
         "\n"
         "Routes: POST /mutate/pods, GET /healthz, /readyz, /metrics.\n";
}

}  // namespace ks::injector
