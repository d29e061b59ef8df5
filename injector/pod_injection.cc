#include "injector/pod_injection.h"

#include "core/admission/json_patch.h"
#include "core/api/constants.h"
#include "core/common/json_fields.h"

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
  // Static: parsing a pointer builds a vector of strings, per admission.
  static const json::json_pointer kName("/secretRef/name");
  const json* name = FindAt(env_from_entry, kName);
  return name != nullptr && *name == api::kNativeSecretName;
}

// The JSON Patch of the injection, written from what it adds: the pod is read, never copied, and
// what is added is constant text but for the annotations' values.
class PodPatch {
 public:
  // Adds `entry` (JSON text) to the list at `path` in the pod (`list`): a new list when the pod has
  // none, first or last in it otherwise. Leaves a list that is not an array alone: not a valid pod,
  // and the API server refuses it after us.
  enum class Position { kFirst, kLast };
  void AddToList(const std::string& path, const json* list, std::string_view entry, Position position) {
    if (list == nullptr || list->is_null()) return writer_.AddJson(path, "[" + std::string(entry) + "]");
    if (!list->is_array()) return;
    writer_.AddJson(path + (position == Position::kFirst ? "/0" : "/-"), entry);
  }

  void Add(std::string_view path, const json& value) { writer_.Add(path, value); }

  std::string Take() && { return std::move(writer_).Take(); }

 private:
  admission::JsonPatchWriter writer_;
};

const json* Member(const json& object, std::string_view key) {
  const auto member = object.find(key);
  return member == object.end() ? nullptr : &*member;
}

// True when `list` (volumes or volumeMounts) has an entry whose `field` is `value`.
bool HasEntryWith(const json* list, std::string_view field, std::string_view value) {
  if (list == nullptr || !list->is_array()) return false;
  for (const json& entry : *list) {
    if (entry.is_object() && entry.value(std::string(field), "") == value) return true;
  }
  return false;
}

// Made once: the parts of the patch that never change, as JSON text.
const std::string& EnvFromEntry() {
  static const std::string entry =
      json({{"secretRef", {{"name", api::kNativeSecretName}, {"optional", true}}}}).dump();
  return entry;
}

const std::string& ValuesMount() {
  static const std::string mount =
      json({{"name", api::kValuesVolumeName}, {"mountPath", api::kValuesMountPath}, {"readOnly", true}}).dump();
  return mount;
}

// The values as files, and the revision they are at from the pod's own annotation: one projected
// volume, so that the kubelet writes both in one atomic swap. Readable by every user (0444): the
// notebook user's uid and the pod's fsGroup differ between platforms, and every process of a
// notebook server's container runs as that one user anyway.
const std::string& ValuesVolume() {
  static const std::string volume = [] {
    const std::string revision_field = "metadata.annotations['" + std::string(api::kRevisionAnnotation) + "']";
    const json revision_item = {{"path", api::kRevisionFile}, {"fieldRef", {{"fieldPath", revision_field}}}};
    return json({{"name", api::kValuesVolumeName},
                 {"projected",
                  {{"defaultMode", 0444},
                   {"sources",
                    {{{"secret", {{"name", api::kNativeSecretName}, {"optional", true}}}},
                     {{"downwardAPI", {{"items", json::array({revision_item})}}}}}}}}})
        .dump();
  }();
  return volume;
}

// A container that already references the native Secret, in any position or form, is left as it
// is: a second reference would add nothing, and moving the container's own one would change it.
void InjectEnvFrom(const json& container, const std::string& path, PodPatch& patch) {
  const json* env_from = Member(container, "envFrom");
  if (env_from != nullptr && env_from->is_array()) {
    for (const auto& entry : *env_from) {
      if (ReferencesNativeSecret(entry)) return;
    }
  }
  patch.AddToList(path + "/envFrom", env_from, EnvFromEntry(), PodPatch::Position::kFirst);
}

void InjectVolumeMount(const json& container, const std::string& path, PodPatch& patch) {
  const json* mounts = Member(container, "volumeMounts");
  if (HasEntryWith(mounts, "name", api::kValuesVolumeName) ||
      HasEntryWith(mounts, "mountPath", api::kValuesMountPath)) {
    return;
  }
  patch.AddToList(path + "/volumeMounts", mounts, ValuesMount(), PodPatch::Position::kLast);
}

void InjectValuesVolume(const json& spec, PodPatch& patch) {
  const json* volumes = Member(spec, "volumes");
  if (HasEntryWith(volumes, "name", api::kValuesVolumeName)) return;
  patch.AddToList("/spec/volumes", volumes, ValuesVolume(), PodPatch::Position::kLast);
}

void InjectContainers(const json& pod, PodShape shape, PodPatch& patch) {
  const json* spec = Member(pod, "spec");
  if (spec == nullptr || !spec->is_object()) return;
  const json* containers = Member(*spec, "containers");
  if (containers == nullptr || !containers->is_array()) return;
  for (size_t i = 0; i < containers->size(); ++i) {
    const json& container = (*containers)[i];
    if (!container.is_object()) continue;
    const std::string path = "/spec/containers/" + std::to_string(i);
    if (shape == PodShape::kKernel) {
      InjectEnvFrom(container, path, patch);
    } else {
      InjectVolumeMount(container, path, patch);
    }
  }
  if (shape == PodShape::kNotebookServer) InjectValuesVolume(*spec, patch);
}

// Sets each of `wanted` that the pod's annotations lack or hold with another value. A pod without
// metadata or annotations gets them whole.
void SetAnnotations(const json& pod, const json& wanted, PodPatch& patch) {
  const json* metadata = Member(pod, "metadata");
  if (metadata == nullptr || metadata->is_null()) return patch.Add("/metadata", {{"annotations", wanted}});
  if (!metadata->is_object()) return;  // not a valid pod; the API server refuses it after us
  const json* annotations = Member(*metadata, "annotations");
  if (annotations == nullptr || !annotations->is_object()) return patch.Add("/metadata/annotations", wanted);
  for (const auto& [key, value] : wanted.items()) {
    const json* current = Member(*annotations, key);
    if (current == nullptr || *current != value) {
      patch.Add("/metadata/annotations/" + admission::PointerToken(key), value);
    }
  }
}

}  // namespace

admission::AdmissionDecision InjectKernelSecrets(const admission::AdmissionRequest& request,
                                                 const InjectionTargets& targets, const ProjectSecretsLookup& lookup) {
  if (request.operation != "CREATE" || !IsPod(request.kind) || !request.object.is_object()) {
    return admission::AdmissionDecision::Allow();
  }
  const std::optional<PodShape> shape = ShapeOf(request.object, targets);
  if (!shape) return admission::AdmissionDecision::Allow();

  PodPatch patch;
  InjectContainers(request.object, *shape, patch);

  // The request's namespace is the pod's: a pod created with generateName or without
  // metadata.namespace has no other.
  const std::optional<ProjectSecretsSummary> secrets = lookup(request.ns);
  json annotations = {{api::kRevisionAnnotation, secrets ? secrets->revision : "none"},
                      {api::kSecretNamesAnnotation, secrets ? secrets->names : ""}};
  if (shape == PodShape::kNotebookServer) annotations[std::string(api::kDeliveryAnnotation)] = api::kDeliveryVolume;
  SetAnnotations(request.object, annotations, patch);
  return admission::AdmissionDecision::AllowWithPatch(std::move(patch).Take());
}

const JsonProjection& PodFieldsRead() {
  static const JsonProjection fields =
      JsonProjection::Only({"metadata.labels", "metadata.annotations", "spec.containers.envFrom",
                            "spec.containers.volumeMounts", "spec.volumes.name"});
  return fields;
}

}  // namespace ks::injector
