#include "core/https/server_flags.h"

#include <sstream>
#include <string>
#include <vector>

namespace ks::https {
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

void DefineServerFlags(CLI::App& app, std::string& kubeconfig, ServerOptions& server) {
  server.cert_file = "/etc/kernel-secrets/tls/tls.crt";
  server.key_file = "/etc/kernel-secrets/tls/tls.key";
  server.port = 8443;

  app.add_option("--kubeconfig", kubeconfig,
                 "kubeconfig file; empty: $KUBECONFIG, then in-cluster, then ~/.kube/config");
  app.add_option("--tls-cert", server.cert_file, "serving certificate (PEM), reloaded on change");
  app.add_option("--tls-key", server.key_file, "serving key (PEM), reloaded on change");
  app.add_option("--bind-address", server.bind_address, "address for the webhooks, /healthz, /readyz and /metrics");
  app.add_option("--port", server.port, "HTTPS port")->check(IntegerFrom(0, 65535));
  AddBoolFlag(app, "--reuse-port", server.reuse_port,
              "true: share --port with other processes of the same user (SO_REUSEPORT), which take turns "
              "with new connections; for replicas on one host network");
  AddSecondsFlag(app, "--drain-timeout", server.drain_timeout, 0, 300,
                 "seconds a stopping server lets open connections finish before it cuts them; below the pod's "
                 "terminationGracePeriodSeconds");
  app.add_option("--max-connections", server.max_connections,
                 "connections served at once; one more is closed as soon as it is accepted, before TLS")
      ->check(IntegerFrom(1, 65536));
  CLI::Option* client_ca = app.add_option("--client-ca", server.client_ca_file,
                                          "PEM bundle of the CAs of callers' client certificates, reloaded on "
                                          "change; set: the TLS handshake requires a client certificate one of "
                                          "them signed");
  app.add_option_function<std::string>(
         "--client-names", [&server](const std::string& list) { server.client_names = SplitNames(list); },
         "with --client-ca: comma-separated names, one of which the caller's certificate must have as its "
         "subject CN or a DNS SAN, else 403")
      ->needs(client_ca);
  AddLogFormatFlag(app);
}

}  // namespace ks::https
