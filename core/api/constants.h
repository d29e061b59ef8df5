// Names shared by the operator, the injector, the plugin and the manifests: API group, labels,
// annotations, the per-project native Secret. Changing one is an API change.
#pragma once

#include <string_view>

namespace ks::api {

inline constexpr std::string_view kGroup = "kernelsecrets.dev";
inline constexpr std::string_view kVersion = "v1alpha1";
inline constexpr std::string_view kApiVersion = "kernelsecrets.dev/v1alpha1";
inline constexpr std::string_view kSecretKind = "Secret";
inline constexpr std::string_view kSecretShareKind = "SecretShare";

// Namespaces: which are projects, and which community a project belongs to.
inline constexpr std::string_view kProjectLabel = "kernelsecrets.dev/project";
inline constexpr std::string_view kCommunityLabel = "kernelsecrets.dev/community";

// The per-project native Secret that kernel pods receive through envFrom.
inline constexpr std::string_view kNativeSecretName = "kernel-secrets";
inline constexpr std::string_view kManagedByLabel = "app.kubernetes.io/managed-by";
inline constexpr std::string_view kManagedByValue = "kernel-secrets";

// On the native Secret and on injected pods: which content a kernel has (never values).
inline constexpr std::string_view kRevisionAnnotation = "kernelsecrets.dev/revision";
inline constexpr std::string_view kSecretNamesAnnotation = "kernelsecrets.dev/secret-names";

// Notebook-server pods (a long-running Jupyter server whose kernels restart inside it) get the
// native Secret as a volume instead, which the kubelet keeps current; the kernel provisioner
// (provisioner/README.md) reads it at every kernel start. Files: one per secret, named by its
// variable, and kRevisionFile with the revision the volume holds (from the pod's annotation,
// which the operator moves on when the project's content changes).
inline constexpr std::string_view kDeliveryAnnotation = "kernelsecrets.dev/delivery";
inline constexpr std::string_view kDeliveryVolume = "volume";
inline constexpr std::string_view kValuesVolumeName = "kernel-secrets";
inline constexpr std::string_view kValuesMountPath = "/var/run/kernel-secrets";
inline constexpr std::string_view kRevisionFile = ".meta/revision";

// On Secret CRs.
inline constexpr std::string_view kCreatedByAnnotation = "kernelsecrets.dev/created-by";
inline constexpr std::string_view kFinalizer = "kernelsecrets.dev/finalizer";
inline constexpr std::string_view kLastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

// The default kernel pod selector (the chart can choose another, e.g. component=kernel).
inline constexpr std::string_view kDefaultKernelSelector = "kernelsecrets.dev/inject=true";

}  // namespace ks::api
