#include "core/https/server_flags.h"

#include <sstream>
#include <string>
#include <vector>

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
  flags.Define("max-connections", "256",
               "connections served at once; one more is closed as soon as it is accepted, before TLS");
  flags.Define("client-ca", "",
               "PEM bundle of the CAs of callers' client certificates, reloaded on change; set: the TLS handshake "
               "requires a client certificate one of them signed");
  flags.Define("client-names", "",
               "with --client-ca: comma-separated names, one of which the caller's certificate must have as its "
               "subject CN or a DNS SAN, else 403");
  flags.Define("log-format", "text", "text or json");
}

namespace {

// "a,b" -> {"a", "b"}; empty items (",a,,b,") are dropped.
std::vector<std::string> SplitNames(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream items(list);
  for (std::string item; std::getline(items, item, ',');) {
    if (!item.empty()) names.push_back(item);
  }
  return names;
}

}  // namespace

StatusOr<ServerOptions> ServerOptionsFromFlags(const Flags& flags) {
  StatusOr<long> port = flags.GetInt("port", 0, 65535);
  if (!port.ok()) return port.status();
  StatusOr<bool> reuse_port = flags.GetBool("reuse-port");
  if (!reuse_port.ok()) return reuse_port.status();
  StatusOr<long> drain_timeout = flags.GetInt("drain-timeout", 0, 300);
  if (!drain_timeout.ok()) return drain_timeout.status();
  StatusOr<long> max_connections = flags.GetInt("max-connections", 1, 65536);
  if (!max_connections.ok()) return max_connections.status();
  if (!flags.Get("client-names").empty() && flags.Get("client-ca").empty()) {
    return InvalidArgument("--client-names needs --client-ca: only a verified certificate's names count");
  }
  ServerOptions options;
  options.bind_address = flags.Get("bind-address");
  options.port = static_cast<uint16_t>(*port);
  options.reuse_port = *reuse_port;
  options.drain_timeout = std::chrono::seconds(*drain_timeout);
  options.cert_file = flags.Get("tls-cert");
  options.key_file = flags.Get("tls-key");
  options.max_connections = static_cast<size_t>(*max_connections);
  options.client_ca_file = flags.Get("client-ca");
  options.client_names = SplitNames(flags.Get("client-names"));
  return options;
}

}  // namespace ks::https
