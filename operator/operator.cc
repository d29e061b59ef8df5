#include "operator/operator.h"

#include <spdlog/spdlog.h>

#include "core/common/signals.h"
#include "core/common/timestamps.h"
#include "core/crypto/keyring_check.h"
#include "core/crypto/keyring_watcher.h"
#include "core/https/server.h"
#include "core/https/standard_routes.h"
#include "core/kube/access_review.h"
#include "core/kube/config.h"
#include "core/kube/events.h"
#include "core/kube/leader_election.h"
#include "core/kube/workqueue.h"
#include "operator/controller.h"
#include "operator/secret_content.h"
#include "operator/secret_metrics.h"
#include "operator/webhooks.h"

namespace ks::op {
namespace {

// Asks the API server whether the author of an admission request may do `what`.
StatusOr<bool> MayUser(kube::Client& client, const admission::UserInfo& user, kube::AccessReviewRequest what) {
  what.user = user.username;
  what.groups = user.groups;
  what.uid = user.uid;
  what.extra = user.extra;
  StatusOr<kube::AccessReviewResult> result = kube::ReviewAccess(client, what);
  if (!result.ok()) return result.status();
  return result->allowed;
}

ShareAdmission::AccessChecks ShareAccessChecks(kube::Client& client) {
  return {
      .is_community_admin =
          [&client](const admission::UserInfo& user, const std::string& community) {
            return MayUser(
                client, user,
                {.verb = "share", .group = "kernelsecrets.dev", .resource = "communities", .name = community});
          },
      // The chart grants this to the operator's ServiceAccount and to no user role, so it tells the
      // operator's own requests from an editor's without a flag naming the operator's identity.
      .may_update_finalizers =
          [&client](const admission::UserInfo& user, const std::string& ns) {
            return MayUser(client, user,
                           {.verb = "update",
                            .group = "kernelsecrets.dev",
                            .resource = "secretshares",
                            .subresource = "finalizers",
                            .ns = ns});
          },
  };
}

// Every sealed value in the cache, with the object it was sealed for: what a new keyring must open.
std::vector<crypto::StoredValue> StoredValues(const ClusterCache& cache) {
  std::vector<crypto::StoredValue> stored;
  for (const api::SecretView& secret : cache.AllSecrets()) {
    StatusOr<crypto::SealedValue> sealed = SealedContent(secret);
    if (!sealed.ok()) continue;  // no content yet, or malformed: its own status says so
    stored.push_back({std::move(*sealed), crypto::AssociatedDataFor(secret.key.ns, secret.key.name)});
  }
  return stored;
}

// How long one SubjectAccessReview may take. A share's admission asks up to three (the finalizer's
// right, the old and the new community), one after another, and the API server gives the webhook
// 10 s: 3 s each leaves room for the answer. The authorizers answer from memory, in milliseconds.
constexpr std::chrono::seconds kAccessReviewTimeout{3};

// How long a replica waits for its caches before it gives up. The chart's startupProbe allows
// longer, so that this exit, whose log line says what did not sync, comes before the kubelet's kill.
constexpr std::chrono::minutes kCacheSyncTimeout{2};

}  // namespace

int RunOperator(const OperatorOptions& options) {
  const TerminationSignals signals;
  StatusOr<kube::ClientConfig> config = kube::LoadDefaultConfig(options.kubeconfig);
  if (!config.ok()) {
    spdlog::critical("cannot configure the Kubernetes client: {}", config.status().ToString());
    return 2;
  }
  config->user_agent = "kernel-secrets-operator";
  StatusOr<std::unique_ptr<crypto::KeyringWatcher>> keyring = crypto::KeyringWatcher::Load(options.keyring_file);
  if (!keyring.ok()) {
    spdlog::critical("cannot load the keyring: {}", keyring.status().ToString());
    return 2;
  }
  crypto::KeyringWatcher& keyring_watcher = **keyring;
  auto current_keyring = [&keyring_watcher] { return keyring_watcher.Current(); };
  spdlog::info("keyring {} loaded, active key {}", options.keyring_file, keyring_watcher.Current()->active_id());

  // First, so that it outlives everything that counts into it or has a scrape hook on it.
  metrics::Registry metrics;
  kube::Client client(*config);
  kube::WorkQueue queue;
  Enqueuer enqueuer(queue);
  ClusterCache cache(client, EnqueueingHandlers(enqueuer), metrics, options.notebook_servers);
  const metrics::ScrapeHook secret_counts = ExposeSecretCounts(cache, metrics);
  // Only the leader reconciles; every replica answers webhooks from its own cache. The leader's
  // writes go through a client bound by its Lease, so that none of them outlasts the leadership.
  // The elector is made once the controller exists; nothing writes before it leads.
  std::unique_ptr<kube::LeaderElector> elector;
  kube::Client leader_client = client.BoundBy(
      options.leader_elect ? kube::CallDeadline([&elector] { return elector->LeadingUntil(); }) : nullptr);
  kube::EventRecorder events(leader_client, "kernel-secrets-operator");
  ClientObjectWriter writer(leader_client);
  Reconciler reconciler(writer, cache, current_keyring, events,
                        [] { return FormatTime(std::chrono::system_clock::now()); });
  Controller controller(reconciler, cache, queue, enqueuer, metrics);
  metrics::Gauge& leading = metrics.GetGauge(
      "kernel_secrets_leader", "1 while this operator replica holds the Lease and reconciles, 0 while it stands by.");
  const auto start_leading = [&] {
    controller.Start(options.workers, options.resync_period);
    leading.Set(1);
  };
  std::atomic<bool> stopping = false;
  std::atomic<bool> lost_leadership = false;
  if (options.leader_elect) {
    elector = std::make_unique<kube::LeaderElector>(
        client, kube::LeaderElectionConfig{
                    .lease_namespace = options.ns,
                    .lease_name = "kernel-secrets-operator",
                    .identity = options.identity,
                    .on_started_leading = start_leading,
                    .on_stopped_leading =
                        [&] {
                          // Its writes fail already; from here no worker takes another key.
                          controller.Stop();
                          leading.Set(0);
                          if (stopping) return;
                          // It exits, and its Deployment restarts it as a standby.
                          lost_leadership = true;
                          TerminationSignals::RequestStop();
                        },
                });
  }

  SecretAdmission secret_admission(current_keyring, cache,
                                   options.server.client_ca_file.empty() ? ReappliedValues::kSealAfresh
                                                                         : ReappliedValues::kKeepStoredCiphertext);
  // A client of its own for the access reviews of admission: its request timeout is theirs.
  kube::ClientConfig review_config = *config;
  review_config.request_timeout = kAccessReviewTimeout;
  kube::Client review_client(review_config);
  ShareAdmission share_admission(ShareAccessChecks(review_client), cache);
  https::ServerOptions server_options = options.server;
  server_options.metrics = &metrics;
  https::Server server(server_options);
  AddAdmissionRoutes(server, metrics, secret_admission, share_admission);
  https::AddStandardRoutes(
      server, [&cache] { return cache.WaitForSync(std::chrono::milliseconds(0)); }, metrics);

  cache.Start();
  // The webhooks answer from the cache, and on a shared port (--reuse-port) a replica that listens
  // gets connections whether it is ready or not: it listens only once the cache can answer.
  switch (AwaitReadyOrStop(
      signals, [&cache](std::chrono::milliseconds slice) { return cache.WaitForSync(slice); }, kCacheSyncTimeout)) {
    case ReadyOrStopped::kReady:
      break;
    case ReadyOrStopped::kStopRequested:
      spdlog::info("stopping before the caches synced");
      return 0;
    case ReadyOrStopped::kTimedOut:
      spdlog::critical(
          "caches did not sync within {} s (namespaces, Secret and SecretShare resources, managed native "
          "Secrets, notebook-server pods if selected), so the webhooks are not served; check the informer "
          "warnings above, that the API server is reachable from this pod, and that the operator's "
          "ServiceAccount may list and watch those resources",
          std::chrono::seconds(kCacheSyncTimeout).count());
      return 1;
  }
  // A keyring that does not open the stored values would have every project's native Secret written
  // without them: such a keyring is not used (docs/crypto.md#keyring-changes).
  if (Status fits = crypto::CheckKeyringReplacement(*keyring_watcher.Current(), nullptr, StoredValues(cache));
      !fits.ok()) {
    spdlog::critical("the keyring {} is refused, so nothing is served or reconciled: {}", options.keyring_file,
                     fits.message());
    return 2;
  }
  if (Status s = server.Start(); !s.ok()) {
    spdlog::critical("cannot serve webhooks on {}:{}: {}", server_options.bind_address, server_options.port,
                     s.ToString());
    return 1;
  }
  spdlog::info("serving webhooks on {}:{}", server_options.bind_address, server.port());

  spdlog::info(elector ? "campaigning for the Lease" : "reconciling");
  if (elector) {
    elector->Start();
  } else {
    start_leading();
  }

  const crypto::KeyringWatcher::Acceptance fits_stored_values = [&cache](const crypto::Keyring& candidate,
                                                                         const crypto::Keyring& current) {
    return crypto::CheckKeyringReplacement(candidate, &current, StoredValues(cache));
  };
  metrics::Counter& keyrings_refused = metrics.GetCounter(
      "kernel_secrets_keyrings_refused_total",
      "New keyring file contents not taken because they drop or change a key that wraps stored values "
      "(the operator keeps the keyring it has)");
  while (!signals.WaitFor(options.keyring_refresh)) {
    StatusOr<bool> changed = keyring_watcher.Refresh(fits_stored_values);
    if (!changed.ok() && changed.status().code() == StatusCode::kFailedPrecondition) {
      keyrings_refused.Increment();
      spdlog::error("new keyring refused, keeping the keyring in use (active key {}): {}",
                    keyring_watcher.Current()->active_id(), changed.status().message());
    } else if (!changed.ok()) {
      spdlog::error("keyring reload failed, keeping the previous keyring: {}", changed.status().ToString());
    } else if (*changed) {
      spdlog::info("keyring reloaded, active key {}; re-wrapping data keys", keyring_watcher.Current()->active_id());
      controller.EnqueueEverything();
    }
  }
  spdlog::info("stopping");
  stopping = true;
  // New connections go to the other replicas from here on, while this one stops its controller.
  server.StartDraining();
  // The writers stop before the Lease is released, and the cache they read from after them.
  controller.Stop();
  if (elector) elector->Stop();  // releases the Lease so a standby takes over at once
  cache.Stop();
  server.Stop();  // waits for the drain, at most --drain-timeout since it began
  return lost_leadership ? 1 : 0;
}

}  // namespace ks::op
