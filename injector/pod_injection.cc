#include "injector/pod_injection.h"

#include "core/api/constants.h"

namespace ks::injector {
namespace {

using nlohmann::json;

enum class PodShape { kKernel, kNotebookServer };

bool IsPod(const admission::GroupVersionKind& kind) { return kind.group.empty() && kind.kind == "Pod"; }

std::optional<PodShape> ShapeOf(const json& pod, const InjectionTargets& targets) {
  if (targets.notebook_servers && targets.notebook_servers->Matches(pod)) return PodShape::kNotebookServer;
  if (targets.kernels.Matches(pod)) return PodShape::kKernel;
  return std::nullopt;
}

bool ReferencesNativeSecret(const json& env_from_entry) {
  const json::json_pointer name("/secretRef/name");
  return env_from_entry.contains(name) && env_from_entry.at(name) == api::kNativeSecretName;
}

// A container that already references the native Secret, in any position or form, is left as it
// is: a second reference would add nothing, and moving the container's own one would change it.
void InjectEnvFrom(json& container) {
  json& env_from = container["envFrom"];
  if (env_from.is_null()) env_from = json::array();
  if (!env_from.is_array()) return;  // not a valid pod; the API server refuses it after us
  for (const auto& entry : env_from) {
    if (ReferencesNativeSecret(entry)) return;
  }
  const json ours = {{"secretRef", {{"name", api::kNativeSecretName}, {"optional", true}}}};
  env_from.insert(env_from.begin(), ours);
}

// True when `list` (volumes or volumeMounts) has an entry whose `field` is `value`.
bool HasEntryWith(const json& list, std::string_view field, std::string_view value) {
  for (const json& entry : list) {
    if (entry.is_object() && entry.value(std::string(field), "") == value) return true;
  }
  return false;
}

// The values as files, and the revision they are at from the pod's own annotation: one projected
// volume, so that the kubelet writes both in one atomic swap. Readable by every user (0444): the
// notebook user's uid and the pod's fsGroup differ between platforms, and every process of a
// notebook server's container runs as that one user anyway.
json ValuesVolume() {
  const std::string revision_field = "metadata.annotations['" + std::string(api::kRevisionAnnotation) + "']";
  return {{"name", api::kValuesVolumeName},
          {"projected",
           {{"defaultMode", 0444},
            {"sources",
             {{{"secret", {{"name", api::kNativeSecretName}, {"optional", true}}}},
              {{"downwardAPI",
                {{"items", {{{"path", api::kRevisionFile}, {"fieldRef", {{"fieldPath", revision_field}}}}}}}}}}}}}};
}

void InjectVolumeMount(json& container) {
  json& mounts = container["volumeMounts"];
  if (mounts.is_null()) mounts = json::array();
  if (!mounts.is_array()) return;  // not a valid pod; the API server refuses it after us
  if (HasEntryWith(mounts, "name", api::kValuesVolumeName) ||
      HasEntryWith(mounts, "mountPath", api::kValuesMountPath)) {
    return;
  }
  mounts.push_back({{"name", api::kValuesVolumeName}, {"mountPath", api::kValuesMountPath}, {"readOnly", true}});
}

void InjectValuesVolume(json& spec) {
  json& volumes = spec["volumes"];
  if (volumes.is_null()) volumes = json::array();
  if (!volumes.is_array()) return;  // not a valid pod; the API server refuses it after us
  if (!HasEntryWith(volumes, "name", api::kValuesVolumeName)) volumes.push_back(ValuesVolume());
}

void InjectContainers(json& pod, PodShape shape) {
  if (!pod.contains("spec") || !pod["spec"].is_object()) return;
  json& spec = pod["spec"];
  if (!spec.contains("containers") || !spec["containers"].is_array()) return;
  for (json& container : spec["containers"]) {
    if (!container.is_object()) continue;
    if (shape == PodShape::kKernel) {
      InjectEnvFrom(container);
    } else {
      InjectVolumeMount(container);
    }
  }
  if (shape == PodShape::kNotebookServer) InjectValuesVolume(spec);
}

}  // namespace

admission::AdmissionDecision InjectKernelSecrets(const admission::AdmissionRequest& request,
                                                 const InjectionTargets& targets, const ProjectSecretsLookup& lookup) {
  if (request.operation != "CREATE" || !IsPod(request.kind) || !request.object.is_object()) {
    return admission::AdmissionDecision::Allow();
  }
  const std::optional<PodShape> shape = ShapeOf(request.object, targets);
  if (!shape) return admission::AdmissionDecision::Allow();

  json pod = request.object;
  InjectContainers(pod, *shape);

  // The request's namespace is the pod's: a pod created with generateName or without
  // metadata.namespace has no other.
  const std::optional<ProjectSecretsSummary> secrets = lookup(request.ns);
  json& annotations = pod["metadata"]["annotations"];
  if (!annotations.is_object()) annotations = json::object();
  annotations[std::string(api::kRevisionAnnotation)] = secrets ? secrets->revision : "none";
  annotations[std::string(api::kSecretNamesAnnotation)] = secrets ? secrets->names : "";
  if (shape == PodShape::kNotebookServer) annotations[std::string(api::kDeliveryAnnotation)] = api::kDeliveryVolume;
  return admission::AdmissionDecision::AllowWithObject(std::move(pod));
}

}  // namespace ks::injector
