// kernel-secrets-operator: reconciles secrets.kernelsecrets.dev and secretshares.kernelsecrets.dev
// into each project's native Secret, and serves their admission webhooks.
#include <spdlog/spdlog.h>
#include <unistd.h>


#include "core/common/flags.h"
#include "operator/operator.h"

namespace {

std::string DefaultIdentity() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(getpid());
}

}  // namespace

int main(int argc, char** argv) {
  ks::Flags flags("kernel-secrets-operator: encrypted Secret and SecretShare resources for notebook kernels");
  flags.Define("kubeconfig", "", "kubeconfig file; empty: $KUBECONFIG, then in-cluster, then ~/.kube/config");
  flags.Define("keyring", "/etc/kernel-secrets/keyring/keyring.yaml", "keyring file with the key-encryption keys");
  flags.Define("tls-cert", "/etc/kernel-secrets/tls/tls.crt", "serving certificate (PEM), reloaded on change");
  flags.Define("tls-key", "/etc/kernel-secrets/tls/tls.key", "serving key (PEM), reloaded on change");
  flags.Define("bind-address", "127.0.0.1", "address for webhooks, /healthz, /readyz, /metrics");
  flags.Define("port", "8443", "HTTPS port");
  flags.Define("namespace", "kernel-secrets", "namespace of the leader-election Lease");
  flags.Define("leader-elect", "true", "campaign for the Lease; false runs the controller unconditionally");
  flags.Define("identity", DefaultIdentity(), "this replica's leader-election identity");
  flags.Define("workers", "2", "reconcile worker threads");
  flags.Define("resync-period", "600", "seconds between full resyncs");
  flags.Define("log-format", "text", "text or json");

  if (std::optional<int> exit_code = ks::HandleCommandLine(flags, argc, argv)) return *exit_code;
  ks::StatusOr<long> port = flags.GetInt("port", 0, 65535);
  ks::StatusOr<long> workers = flags.GetInt("workers", 1, 64);
  ks::StatusOr<long> resync = flags.GetInt("resync-period", 10, 86400);
  ks::StatusOr<bool> leader_elect = flags.GetBool("leader-elect");
  for (const ks::Status& s : {port.status(), workers.status(), resync.status(), leader_elect.status()}) {
    if (!s.ok()) return ks::StartupFailure(argv[0], s);
  }
  ks::op::OperatorOptions options{.kubeconfig = flags.Get("kubeconfig"),
                                  .keyring_file = flags.Get("keyring"),
                                  .tls_cert_file = flags.Get("tls-cert"),
                                  .tls_key_file = flags.Get("tls-key"),
                                  .bind_address = flags.Get("bind-address"),
                                  .port = static_cast<int>(*port),
                                  .ns = flags.Get("namespace"),
                                  .leader_elect = *leader_elect,
                                  .identity = flags.Get("identity"),
                                  .workers = static_cast<int>(*workers),
                                  .resync_period = std::chrono::seconds(*resync)};
  return ks::op::RunOperator(options);
}
