#include "injector/pod_injection.h"

#include "core/api/constants.h"

namespace ks::injector {
namespace {

using nlohmann::json;

bool IsPod(const admission::GroupVersionKind& kind) { return kind.group.empty() && kind.kind == "Pod"; }

bool ReferencesNativeSecret(const json& env_from_entry) {
  const json::json_pointer name("/secretRef/name");
  return env_from_entry.contains(name) && env_from_entry.at(name) == api::kNativeSecretName;
}

// A container that already references the native Secret, in any position or form, is left as it
// is: a second reference would add nothing, and moving the container's own one would change it.
void InjectEnvFrom(json& container) {
  if (!container.is_object()) return;
  json& env_from = container["envFrom"];
  if (env_from.is_null()) env_from = json::array();
  if (!env_from.is_array()) return;  // not a valid pod; the API server refuses it after us
  for (const auto& entry : env_from) {
    if (ReferencesNativeSecret(entry)) return;
  }
  const json ours = {{"secretRef", {{"name", api::kNativeSecretName}, {"optional", true}}}};
  env_from.insert(env_from.begin(), ours);
}

}  // namespace

admission::AdmissionDecision InjectKernelSecrets(const admission::AdmissionRequest& request,
                                                 const KernelSelector& selector, const ProjectSecretsLookup& lookup) {
  if (request.operation != "CREATE" || !IsPod(request.kind) || !request.object.is_object() ||
      !selector.Matches(request.object)) {
    return admission::AdmissionDecision::Allow();
  }

  json pod = request.object;
  if (pod.contains("spec") && pod["spec"].contains("containers") && pod["spec"]["containers"].is_array()) {
    for (auto& container : pod["spec"]["containers"]) InjectEnvFrom(container);
  }

  // The request's namespace is the pod's: a pod created with generateName or without
  // metadata.namespace has no other.
  const std::optional<ProjectSecretsSummary> secrets = lookup(request.ns);
  json& annotations = pod["metadata"]["annotations"];
  if (!annotations.is_object()) annotations = json::object();
  annotations[std::string(api::kRevisionAnnotation)] = secrets ? secrets->revision : "none";
  annotations[std::string(api::kSecretNamesAnnotation)] = secrets ? secrets->names : "";
  return admission::AdmissionDecision::AllowWithObject(std::move(pod));
}

}  // namespace ks::injector
