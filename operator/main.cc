// kernel-secrets-operator: reconciles secrets.kernelsecrets.dev and secretshares.kernelsecrets.dev
// into each project's native Secret, and serves their admission webhooks.
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "core/api/notebook_servers.h"
#include "core/common/core_dumps.h"
#include "core/common/flags.h"
#include "core/https/server_flags.h"
#include "operator/operator.h"

namespace {

std::string DefaultIdentity() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(getpid());
}

}  // namespace

int main(int argc, char** argv) {
  // glibc gives each thread that allocates an arena of its own, up to 8 per core, and memory freed
  // in one arena serves no other: after a restart with 5,000 Secrets the operator held 102 MB with
  // the default and 75 MB with two arenas (docs/benchmarks.md). Before any thread starts.
  mallopt(M_ARENA_MAX, 2);
  if (const ks::Status hardened = ks::ForbidCoreDumps(); !hardened.ok()) return ks::StartupFailure(argv[0], hardened);
  ks::Flags flags("kernel-secrets-operator: encrypted Secret and SecretShare resources for notebook kernels");
  ks::https::DefineServerFlags(flags);
  flags.Define("keyring", "/etc/kernel-secrets/keyring/keyring.yaml", "keyring file with the key-encryption keys");
  flags.Define("namespace", "kernel-secrets", "namespace of the leader-election Lease");
  flags.Define("leader-elect", "true", "campaign for the Lease; false runs the controller unconditionally");
  flags.Define("identity", DefaultIdentity(), "this replica's leader-election identity");
  flags.Define("workers", "2", "reconcile worker threads");
  flags.Define("resync-period", "600", "seconds between full resyncs");
  ks::api::DefineNotebookServerSelectorFlag(flags);

  if (std::optional<int> exit_code = ks::HandleCommandLine(flags, argc, argv)) return *exit_code;
  ks::StatusOr<ks::https::ServerOptions> server = ks::https::ServerOptionsFromFlags(flags);
  ks::StatusOr<long> workers = flags.GetInt("workers", 1, 64);
  ks::StatusOr<long> resync = flags.GetInt("resync-period", 10, 86400);
  ks::StatusOr<bool> leader_elect = flags.GetBool("leader-elect");
  ks::StatusOr<std::optional<ks::kube::LabelSelector>> notebook_servers =
      ks::api::NotebookServerSelectorFromFlags(flags);
  for (const ks::Status& s :
       {server.status(), workers.status(), resync.status(), leader_elect.status(), notebook_servers.status()}) {
    if (!s.ok()) return ks::StartupFailure(argv[0], s);
  }
  ks::op::OperatorOptions options{.kubeconfig = flags.Get("kubeconfig"),
                                  .keyring_file = flags.Get("keyring"),
                                  .server = *server,
                                  .ns = flags.Get("namespace"),
                                  .leader_elect = *leader_elect,
                                  .identity = flags.Get("identity"),
                                  .workers = static_cast<int>(*workers),
                                  .resync_period = std::chrono::seconds(*resync),
                                  .notebook_servers = *notebook_servers};
  return ks::op::RunOperator(options);
}
