// The injector's mutation, a pure function: on the CREATE of a kernel pod, every container gets
// `envFrom: secretRef kernel-secrets (optional)` as its first envFrom entry, and the pod is
// annotated with the revision and the names (never values) of the project's secrets. Other
// requests are allowed unchanged. Applying it to its own output changes nothing (reinvocation).
#pragma once

#include "core/admission/review.h"
#include "injector/kernel_selector.h"
#include "injector/project_secrets.h"

namespace ks::injector {

// Why first: the project's secrets are defaults. The kubelet applies envFrom entries in order,
// later ones overriding earlier ones, and `env` over all of them, so a container's own envFrom and
// env keep the last word. `env` is never touched; init containers are not injected (see
// docs/decisions/2026-11-26-injector-scope.md).
admission::AdmissionDecision InjectKernelSecrets(const admission::AdmissionRequest& request,
                                                 const KernelSelector& selector, const ProjectSecretsLookup& lookup);

}  // namespace ks::injector
