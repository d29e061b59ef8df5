// kernel-secrets-injector: the mutating webhook that adds the project's secrets to kernel pods.
// Wiring only; the mutation is InjectKernelSecrets (pod_injection.h).
#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

#include "core/admission/instrumented_handler.h"
#include "core/admission/review.h"
#include "core/api/constants.h"
#include "core/api/notebook_servers.h"
#include "core/common/core_dumps.h"
#include "core/common/flags.h"
#include "core/common/signals.h"
#include "core/https/server.h"
#include "core/https/server_flags.h"
#include "core/https/standard_routes.h"
#include "core/kube/client.h"
#include "core/kube/config.h"
#include "core/kube/informer.h"
#include "core/metrics/registry.h"
#include "injector/pod_injection.h"

namespace {

using namespace ks;

struct InjectorOptions {
  std::string kubeconfig;
  https::ServerOptions server;
  injector::InjectionTargets targets{*kube::LabelSelector::Parse(api::kDefaultKernelSelector), std::nullopt};
};

// How long the injector waits for its cache before it gives up. The chart's startupProbe allows
// longer, so that this exit, whose log line says what did not sync, comes before the kubelet's kill.
constexpr std::chrono::minutes kCacheSyncTimeout{2};

int Run(const InjectorOptions& options) {
  const TerminationSignals signals;

  auto config = kube::LoadDefaultConfig(options.kubeconfig);
  if (!config.ok()) {
    spdlog::error("cannot load the Kubernetes configuration: {}", config.status().ToString());
    return 1;
  }
  config->user_agent = "kernel-secrets-injector";
  // Before everything that counts into it.
  metrics::Registry metrics;
  kube::Client client(*config);

  // The native Secrets the operator keeps, one per project; the admission path reads only this cache.
  // Their metadata alone: the annotations say all the injector needs, and no value reaches it.
  kube::InformerOptions native_secrets_options;
  native_secrets_options.label_selector = std::string(api::kManagedByLabel) + "=" + std::string(api::kManagedByValue);
  native_secrets_options.metadata_only = true;
  native_secrets_options.metrics = &metrics;
  kube::Informer native_secrets(client, kube::resources::kSecrets, native_secrets_options, {});
  const injector::ProjectSecretsLookup lookup =
      [&native_secrets](const std::string& ns) -> std::optional<injector::ProjectSecretsSummary> {
    kube::ObjectPtr secret = native_secrets.Get(ns, std::string(api::kNativeSecretName));
    if (!secret) return std::nullopt;
    return injector::SummarizeNativeSecret(*secret);
  };

  https::ServerOptions server_options = options.server;
  server_options.metrics = &metrics;
  https::Server server(server_options);
  https::AddStandardRoutes(
      server, [&native_secrets] { return native_secrets.HasSynced(); }, metrics);
  const admission::AdmissionHandler inject = admission::Instrumented(
      [&options, &lookup](const admission::AdmissionRequest& request) {
        return injector::InjectKernelSecrets(request, options.targets, lookup);
      },
      "mutate-pods", metrics);
  const JsonProjection review_fields = admission::ReviewKeeping(injector::PodFieldsRead());
  server.Route("POST", "/mutate/pods", [&inject, &review_fields](const https::HttpRequest& request) {
    return admission::ServeAdmission(request, inject, review_fields);
  });

  native_secrets.Start();
  // An answer from an empty cache would inject nothing, and on a shared port (--reuse-port) a
  // replica that listens gets connections whether it is ready or not: it listens once synced.
  switch (AwaitReadyOrStop(
      signals, [&native_secrets](std::chrono::milliseconds slice) { return native_secrets.WaitForSync(slice); },
      kCacheSyncTimeout)) {
    case ReadyOrStopped::kReady:
      break;
    case ReadyOrStopped::kStopRequested:
      spdlog::info("stopping before the cache synced");
      return 0;
    case ReadyOrStopped::kTimedOut:
      spdlog::error(
          "the cache of native Secrets (label {}) did not sync within {} s, so the pod webhook is not served; "
          "check the informer warnings above, that the API server is reachable from this pod, and that the "
          "injector's ServiceAccount may list and watch Secrets",
          native_secrets_options.label_selector, std::chrono::seconds(kCacheSyncTimeout).count());
      return 1;
  }
  if (Status started = server.Start(); !started.ok()) {
    spdlog::error("cannot serve: {}", started.ToString());
    return 1;
  }
  spdlog::info("injecting into kernel pods labelled {} and notebook-server pods labelled {}",
               options.targets.kernels.ToString(),
               options.targets.notebook_servers ? options.targets.notebook_servers->ToString() : "(none)");

  const int signal = signals.Wait();
  spdlog::info("received signal {}, stopping", signal);
  server.Stop();  // drains first, at most --drain-timeout
  native_secrets.Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (const ks::Status hardened = ks::ForbidCoreDumps(); !hardened.ok()) return ks::StartupFailure(argv[0], hardened);
  ks::Flags flags("kernel-secrets-injector: gives notebook kernel pods their project's secrets (mutating webhook)");
  InjectorOptions options;
  ks::https::DefineServerFlags(flags, options.kubeconfig, options.server);
  ks::api::AddLabelSelectorFlag(flags, "--kernel-selector", options.targets.kernels,
                                "the label selector of kernel pods (one kernel per pod), as kubectl -l takes it: "
                                "key=value, key!=value, key in (a,b), key notin (a,b), key, !key, comma-separated");
  ks::api::DefineNotebookServerSelectorFlag(flags, options.targets.notebook_servers);

  if (std::optional<int> exit_code = ks::HandleCommandLine(flags, argc, argv)) return *exit_code;
  // One watch, and nothing else in flight: its callbacks need no more.
  ks::kube::UseClientThreads(2);
  return Run(options);
}
