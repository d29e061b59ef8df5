// The injector's pod mutation (injector/pod_injection.h) behind the AdmissionReview reader: the
// body of every pod CREATE in a selected namespace reaches it.
#include "injector/pod_injection.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using ks::kube::LabelSelector;

// Kernel pods (Enterprise Gateway) and notebook servers (Kubeflow's key-only selector), so that
// both shapes are reachable. project-a has a native Secret, every other namespace none, as in the
// golden fixtures the seed corpus comes from.
const ks::injector::InjectionTargets kTargets{.kernels = *LabelSelector::Parse("kernelsecrets.dev/inject=true"),
                                              .notebook_servers = *LabelSelector::Parse("notebook-name")};

std::optional<ks::injector::ProjectSecretsSummary> Lookup(const std::string& ns) {
  if (ns != "project-a") return std::nullopt;
  return ks::injector::ProjectSecretsSummary{.revision = "3f2a9c", .names = "API_TOKEN,DB_PASSWORD"};
}

ks::admission::AdmissionDecision Inject(const ks::admission::AdmissionRequest& request) {
  return ks::injector::InjectKernelSecrets(request, kTargets, Lookup);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ks::fuzz::ServeReview(data, size, Inject);
  return 0;
}
