#include "core/https/server_flags.h"

namespace ks::https {

void DefineServerFlags(Flags& flags) {
  flags.Define("kubeconfig", "", "kubeconfig file; empty: $KUBECONFIG, then in-cluster, then ~/.kube/config");
  flags.Define("tls-cert", "/etc/kernel-secrets/tls/tls.crt", "serving certificate (PEM), reloaded on change");
  flags.Define("tls-key", "/etc/kernel-secrets/tls/tls.key", "serving key (PEM), reloaded on change");
  flags.Define("bind-address", "127.0.0.1", "address for the webhooks, /healthz, /readyz and /metrics");
  flags.Define("port", "8443", "HTTPS port");
  flags.Define("reuse-port", "false",
               "true: share --port with other processes of the same user (SO_REUSEPORT), which take turns "
               "with new connections; for replicas on one host network");
  flags.Define("drain-timeout", "5",
               "seconds a stopping server lets open connections finish before it cuts them; below the pod's "
               "terminationGracePeriodSeconds");
  flags.Define("log-format", "text", "text or json");
}

StatusOr<ServerOptions> ServerOptionsFromFlags(const Flags& flags) {
  StatusOr<long> port = flags.GetInt("port", 0, 65535);
  if (!port.ok()) return port.status();
  StatusOr<bool> reuse_port = flags.GetBool("reuse-port");
  if (!reuse_port.ok()) return reuse_port.status();
  StatusOr<long> drain_timeout = flags.GetInt("drain-timeout", 0, 300);
  if (!drain_timeout.ok()) return drain_timeout.status();
  ServerOptions options;
  options.bind_address = flags.Get("bind-address");
  options.port = static_cast<uint16_t>(*port);
  options.reuse_port = *reuse_port;
  options.drain_timeout = std::chrono::seconds(*drain_timeout);
  options.cert_file = flags.Get("tls-cert");
  options.key_file = flags.Get("tls-key");
  return options;
}

}  // namespace ks::https
