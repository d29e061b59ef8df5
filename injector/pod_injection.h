// The injector's mutation, a pure function. On the CREATE of a pod it selects:
//   - a kernel pod (one kernel per pod: Jupyter Enterprise Gateway): every container gets
//     `envFrom: secretRef kernel-secrets (optional)` as its first envFrom entry;
//   - a notebook-server pod (JupyterHub, Kubeflow: kernels restart inside it): the native Secret
//     is mounted read-only at /var/run/kernel-secrets in every container, with the revision the
//     volume holds beside it, and no environment variable is added, so the server's own process
//     never holds a value; the kernel provisioner gives each kernel the current files.
// Either is annotated with the revision and the names (never values) of the project's secrets.
// Other requests are allowed unchanged. Applying it to its own output changes nothing
// (reinvocation).
#pragma once

#include <optional>

#include "core/admission/review.h"
#include "core/kube/label_selector.h"
#include "injector/project_secrets.h"

namespace ks::injector {

// Which pods get the project's secrets, and how. A pod both select is a notebook server: its
// kernels are then fed by the provisioner, and an envFrom would put every value into the
// server's own environment.
struct InjectionTargets {
  kube::LabelSelector kernels;
  std::optional<kube::LabelSelector> notebook_servers;  // nullopt: no notebook-server pods
};

// Why first: the project's secrets are defaults. The kubelet applies envFrom entries in order,
// later ones overriding earlier ones, and `env` over all of them, so a container's own envFrom and
// env keep the last word. `env` is never touched; init containers are not injected (see
// docs/decisions/2026-11-26-injector-scope.md).
admission::AdmissionDecision InjectKernelSecrets(const admission::AdmissionRequest& request,
                                                 const InjectionTargets& targets, const ProjectSecretsLookup& lookup);

// The fields of a pod that InjectKernelSecrets reads (for ServeAdmission's parse): the labels that
// the selectors match, the annotations, each container's envFrom and volumeMounts, the volumes'
// names. Its decision on a pod so projected is its decision on the whole pod.
const JsonProjection& PodFieldsRead();

}  // namespace ks::injector
