// kernel-secrets-operator: reconciles secrets.kernelsecrets.dev and secretshares.kernelsecrets.dev
// into each project's native Secret, and serves their admission webhooks.
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "core/api/notebook_servers.h"
#include "core/common/core_dumps.h"
#include "core/common/flags.h"
#include "core/https/server_flags.h"
#include "core/kube/client.h"
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
  // Enough for the callbacks of the operator's watches and calls in flight; a thread fewer is a
  // few dozen kilobytes fewer (docs/benchmarks.md).
  ks::kube::UseClientThreads(4);
  if (const ks::Status hardened = ks::ForbidCoreDumps(); !hardened.ok()) return ks::StartupFailure(argv[0], hardened);
  ks::Flags flags("kernel-secrets-operator: encrypted Secret and SecretShare resources for notebook kernels");
  ks::op::OperatorOptions options;
  options.keyring_file = "/etc/kernel-secrets/keyring/keyring.yaml";
  options.identity = DefaultIdentity();
  ks::https::DefineServerFlags(flags, options.kubeconfig, options.server);
  flags.add_option("--keyring", options.keyring_file, "keyring file with the key-encryption keys");
  flags.add_option("--namespace", options.ns, "namespace of the leader-election Lease");
  ks::AddBoolFlag(flags, "--leader-elect", options.leader_elect,
                  "campaign for the Lease; false runs the controller unconditionally");
  flags.add_option("--identity", options.identity, "this replica's leader-election identity");
  flags.add_option("--workers", options.workers, "reconcile worker threads")->check(ks::IntegerFrom(1, 64));
  ks::AddSecondsFlag(flags, "--resync-period", options.resync_period, 10, 86400, "seconds between full resyncs");
  ks::api::DefineNotebookServerSelectorFlag(flags, options.notebook_servers);

  if (std::optional<int> exit_code = ks::HandleCommandLine(flags, argc, argv)) return *exit_code;
  return ks::op::RunOperator(options);
}
