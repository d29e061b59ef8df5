// kernel-secrets-injector: the mutating webhook that adds the project's secrets to kernel pods.
// Wiring only; the mutation is InjectKernelSecrets (pod_injection.h).
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "core/admission/instrumented_handler.h"
#include "core/admission/review.h"
#include "core/api/constants.h"
#include "core/https/metrics.h"
#include "core/https/server.h"
#include "core/https/standard_routes.h"
#include "core/kube/client.h"
#include "core/kube/config.h"
#include "core/kube/informer.h"
#include "injector/flags.h"
#include "injector/pod_injection.h"

namespace {

using namespace ks;

// Blocks SIGTERM and SIGINT in the calling thread and in every thread started after, so that
// only WaitForTerminationSignal receives them.
sigset_t BlockTerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int WaitForTerminationSignal(const sigset_t& signals) {
  int signal = 0;
  sigwait(&signals, &signal);
  return signal;
}

int Run(const injector::InjectorFlags& flags) {
  const sigset_t signals = BlockTerminationSignals();

  auto config = kube::LoadDefaultConfig(flags.kubeconfig);
  if (!config.ok()) {
    spdlog::error("cannot load the Kubernetes configuration: {}", config.status().ToString());
    return 1;
  }
  kube::Client client(*config);

  // The native Secrets the operator keeps, one per project; the admission path reads only this cache.
  kube::InformerOptions native_secrets_options;
  native_secrets_options.label_selector = std::string(api::kManagedByLabel) + "=" + std::string(api::kManagedByValue);
  kube::Informer native_secrets(client, kube::resources::kSecrets, native_secrets_options, {});
  const injector::ProjectSecretsLookup lookup = [&native_secrets](const std::string& ns)
      -> std::optional<injector::ProjectSecretsSummary> {
    kube::ObjectPtr secret = native_secrets.Get(ns, std::string(api::kNativeSecretName));
    if (!secret) return std::nullopt;
    return injector::SummarizeNativeSecret(*secret);
  };

  https::MetricsRegistry metrics;
  https::Server server({.bind_address = flags.bind_address,
                        .port = flags.port,
                        .cert_file = flags.tls_cert,
                        .key_file = flags.tls_key,
                        .metrics = &metrics});
  https::AddStandardRoutes(server, [&native_secrets] { return native_secrets.HasSynced(); }, metrics);
  const admission::AdmissionHandler inject = admission::Instrumented(
      [&flags, &lookup](const admission::AdmissionRequest& request) {
        return injector::InjectKernelSecrets(request, flags.kernel_selector, lookup);
      },
      "mutate-pods", metrics);
  server.Route("POST", "/mutate/pods",
               [&inject](const https::HttpRequest& request) { return admission::ServeAdmission(request, inject); });

  native_secrets.Start();
  if (Status started = server.Start(); !started.ok()) {
    spdlog::error("cannot serve: {}", started.ToString());
    return 1;
  }
  spdlog::info("injecting into pods labelled {}={}", flags.kernel_selector.key, flags.kernel_selector.value);

  const int signal = WaitForTerminationSignal(signals);
  spdlog::info("received signal {}, stopping", signal);
  server.Stop();
  native_secrets.Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto flags = ks::injector::ParseFlags(std::vector<std::string>(argv + 1, argv + argc));
  if (!flags.ok()) {
    std::cerr << flags.status().message() << "\n\n" << ks::injector::Usage();
    return 2;
  }
  if (flags->help) {
    std::cout << ks::injector::Usage();
    return 0;
  }
  ks::injector::SetUpLogging(flags->log_format);
  return Run(*flags);
}
