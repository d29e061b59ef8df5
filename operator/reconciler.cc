#include "operator/reconciler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

#include "core/api/constants.h"
#include "core/api/secret_name.h"
#include "core/common/json_fields.h"
#include "core/kube/object.h"
#include "operator/cache_transforms.h"
#include "operator/native_secret.h"
#include "operator/secret_content.h"
#include "operator/status.h"
#include "operator/visibility.h"

namespace ks::op {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::string kFinalizer(api::kFinalizer);

bool HasFinalizer(const json& object) {
  const json finalizers = object.value("/metadata/finalizers"_json_pointer, json::array());
  return std::find(finalizers.begin(), finalizers.end(), kFinalizer) != finalizers.end();
}

// A merge patch that sets the finalizer list, guarded by the resourceVersion it was computed from.
json FinalizersPatch(const json& object, json finalizers) {
  return {{"metadata",
           {{"finalizers", std::move(finalizers)},
            {"resourceVersion", object.at("/metadata/resourceVersion"_json_pointer)}}}};
}

// The variable names of `candidates`, each with the fingerprint of its stored content (empty when
// that does not even parse).
std::vector<std::pair<std::string, std::string>> NamesAndFingerprints(const std::vector<const Candidate*>& candidates) {
  std::vector<std::pair<std::string, std::string>> names;
  for (const Candidate* candidate : candidates) {
    StatusOr<crypto::SealedValue> sealed = SealedContent(candidate->secret);
    names.emplace_back(candidate->secret.spec_name, sealed.ok() ? crypto::ContentFingerprint(*sealed) : "");
  }
  return names;
}

// Not-found on a delete is what the caller wanted anyway.
Status IgnoreNotFound(Status status) { return status.code() == StatusCode::kNotFound ? Status::Ok() : status; }

}  // namespace

Reconciler::Reconciler(ObjectWriter& client, const ClusterObjects& cache, KeyringSource keyring,
                       kube::EventSink& events, Clock now)
    : client_(client), cache_(cache), keyring_(std::move(keyring)), events_(events), now_(std::move(now)) {}

ReconcileResult Reconciler::ReconcileProject(const std::string& ns) {
  std::shared_ptr<const json> stored = cache_.NativeSecret(ns);
  std::optional<api::ProjectView> project = cache_.Project(ns);
  if (!project) {
    if (!stored) return ReconcileResult::Done();
    spdlog::info("namespace {} is no longer a project: removing its native Secret {}", ns, api::kNativeSecretName);
    return IgnoreNotFound(client_.Delete(kube::resources::kSecrets, ns, std::string(api::kNativeSecretName),
                                         stored->value("/metadata/uid"_json_pointer, std::string())));
  }

  std::shared_ptr<const crypto::Keyring> keyring = keyring_();
  std::vector<NativeSecretEntry> entries;
  std::vector<const Candidate*> undecryptable;
  const Visibility visibility = VisibleTo(*project, cache_);
  for (const Candidate& candidate : visibility.visible) {
    // Parsed once: the entry needs both the plaintext and the fingerprint of the sealed content.
    StatusOr<crypto::SealedValue> sealed = SealedContent(candidate.secret);
    StatusOr<std::string> plaintext = sealed.ok() ? OpenSealed(*keyring, *sealed, candidate.secret.key) : sealed.status();
    if (!plaintext.ok()) {
      undecryptable.push_back(&candidate);
      continue;
    }
    entries.push_back({candidate.secret.spec_name, std::move(*plaintext), crypto::ContentFingerprint(*sealed)});
  }
  // A secret that does not decrypt alone is left out whole; its own status says DecryptFailed. When
  // several fail at once, a keyring problem is far likelier than damaged values: their values stay
  // as the stored native Secret has them, so that kernels do not lose them all.
  if (undecryptable.size() > 1 && stored) {
    std::vector<NativeSecretEntry> kept = StoredEntries(*stored, NamesAndFingerprints(undecryptable));
    spdlog::error(
        "{} secrets visible to project {} do not decrypt with the keyring in use; its native Secret "
        "keeps the values it has for {} of them (see their DecryptFailed status)",
        undecryptable.size(), ns, kept.size());
    std::move(kept.begin(), kept.end(), std::back_inserter(entries));
  }
  json desired = DesiredNativeSecret(ns, entries);
  if (!stored || !NativeSecretUpToDate(*stored, desired)) {
    KS_RETURN_IF_ERROR(WriteNativeSecret(ns, stored ? MergeForUpdate(*stored, desired) : desired));
  }
  return RefreshNotebookServers(ns, kube::Annotation(desired, api::kRevisionAnnotation));
}

Status Reconciler::RefreshNotebookServers(const std::string& ns, const std::string& revision) {
  const json patch = {{"metadata", {{"annotations", {{std::string(api::kRevisionAnnotation), revision}}}}}};
  for (const ClusterObjects::Object& pod : cache_.NotebookServersIn(ns)) {
    if (kube::Annotation(*pod, api::kRevisionAnnotation) == revision) continue;
    const std::string name = kube::MetadataField(*pod, "name");
    KS_RETURN_IF_ERROR(IgnoreNotFound(client_.MergePatch(kube::resources::kPods, ns, name, patch).status()));
    spdlog::info("notebook server {}/{} refreshed to revision {}", ns, name, revision);
  }
  return Status::Ok();
}

Status Reconciler::WriteNativeSecret(const std::string& ns, const json& desired) {
  const bool update = desired.contains("/metadata/resourceVersion"_json_pointer);
  StatusOr<json> written = update ? client_.Update(kube::resources::kSecrets, ns, desired)
                                  : client_.Create(kube::resources::kSecrets, ns, desired);
  if (written.ok()) {
    spdlog::info("native Secret {}/{} now at revision {}", ns, api::kNativeSecretName,
                 desired.at("/metadata/annotations"_json_pointer).value(std::string(api::kRevisionAnnotation), ""));
    return Status::Ok();
  }
  if (written.status().code() != StatusCode::kAlreadyExists) return written.status();
  // Either our cache has not seen our own earlier create yet (retry), or someone else's Secret has
  // the name: never overwrite it.
  StatusOr<json> existing = client_.Get(kube::resources::kSecrets, ns, std::string(api::kNativeSecretName));
  if (existing.ok() &&
      existing->value("/metadata/labels"_json_pointer, json::object()).value(std::string(api::kManagedByLabel), "") !=
          api::kManagedByValue) {
    // On the foreign Secret itself, so the project's users find it with `kubectl get events`.
    events_.Record(*existing, kube::EventType::kWarning, "NativeSecretTaken",
                   "this Secret is not managed by kernel-secrets but has the name it needs; kernels of this "
                   "project get its content instead of the project's secrets until it is renamed or removed");
    return FailedPrecondition("Secret " + ns + "/kernel-secrets is not managed by kernel-secrets");
  }
  return Conflict("native Secret " + ns + "/kernel-secrets changed meanwhile");
}

ReconcileResult Reconciler::ReconcileSecret(const api::ObjectKey& key) {
  std::shared_ptr<const json> object = cache_.SecretObject(key);
  if (!object) return ReconcileResult::Done();
  const api::SecretView view = api::ViewSecret(*object);
  if (view.has_plaintext) return EncryptStoredPlaintext(*object);
  if (view.deleting) return FinalizeSecret(*object);
  KS_RETURN_IF_ERROR(EnsureFinalizer(api::resources::kSecrets, *object));
  std::shared_ptr<const crypto::Keyring> keyring = keyring_();
  KS_RETURN_IF_ERROR(RewrapIfKeyRotated(*object, *keyring));
  return UpdateSecretStatus(*object, *keyring);
}

ReconcileResult Reconciler::EncryptStoredPlaintext(const json& object) {
  const api::SecretView view = api::ViewSecret(object);
  const std::string value = StringAt(object, "/spec/value"_json_pointer);
  StatusOr<crypto::SealedValue> sealed = SealContent(*keyring_(), value, view.key);
  if (!sealed.ok()) return sealed.status();
  json updated = object;
  StoreSealed(updated, *sealed);
  StatusOr<json> written = client_.Update(api::resources::kSecrets, view.key.ns, updated);
  if (!written.ok()) return written.status();
  spdlog::warn("secret {} was stored with spec.value in plaintext; encrypted it", view.key.ToString());
  events_.Record(*written, kube::EventType::kWarning, "PlaintextStored",
                 "spec.value reached storage unencrypted (was the admission webhook bypassed?); kernel-secrets "
                 "encrypted it and removed the value");
  return ReconcileResult::Done();
}

ReconcileResult Reconciler::FinalizeSecret(const json& object) {
  if (!HasFinalizer(object)) return ReconcileResult::Done();
  const api::ObjectKey key = api::KeyOf(object);
  // Every project that saw the secret loses it before the object may go.
  KS_RETURN_IF_ERROR(ReconcileProjectsReachedBy(key));
  for (const api::ShareView& share : cache_.SharesOf(key)) {
    if (share.deleting) continue;
    KS_RETURN_IF_ERROR(IgnoreNotFound(client_.Delete(api::resources::kSecretShares, share.key.ns, share.key.name)));
  }
  KS_RETURN_IF_ERROR(RemoveFinalizer(api::resources::kSecrets, object));
  spdlog::info("secret {} destroyed", key.ToString());
  events_.Record(object, kube::EventType::kNormal, "SecretDestroyed", "Secret destroyed");
  return ReconcileResult::Done();
}

ReconcileResult Reconciler::ReconcileShare(const api::ObjectKey& key) {
  std::shared_ptr<const json> object = cache_.ShareObject(key);
  if (!object) return ReconcileResult::Done();
  const api::ShareView share = api::ViewShare(*object);
  if (share.deleting) return FinalizeShare(*object);
  KS_RETURN_IF_ERROR(EnsureFinalizer(api::resources::kSecretShares, *object));

  std::shared_ptr<const json> secret = cache_.SecretObject(share.SharedSecret());
  const json current = object->value("status", json::object());
  const ShareObservation observed = ObserveShare(share, secret ? std::optional(api::ViewSecret(*secret)) : std::nullopt,
                                                 object->value("/metadata/generation"_json_pointer, std::int64_t{0}));
  const json status = DesiredShareStatus(current, observed, now_());
  if (status == current) return ReconcileResult::Done();
  StatusOr<json> written =
      client_.MergePatch(api::resources::kSecretShares, key.ns, key.name, {{"status", status}}, "status");
  if (!written.ok()) return written.status();
  // Once, when it starts sharing: at its first reconcile, or later if its secret appeared after it.
  if (observed.state == ShareState::kShared && ConditionStatus(current, "Ready") != "True") {
    events_.Record(
        *secret, kube::EventType::kNormal, "Shared",
        "shared into community \"" + share.community + "\" by secretshares.kernelsecrets.dev \"" + key.name + "\"");
  }
  return ReconcileResult::Done();
}

ReconcileResult Reconciler::FinalizeShare(const json& object) {
  if (!HasFinalizer(object)) return ReconcileResult::Done();
  const api::ShareView share = api::ViewShare(object);
  std::vector<std::string> projects;
  for (const api::ProjectView& project : cache_.ProjectsIn(share.community)) projects.push_back(project.ns);
  KS_RETURN_IF_ERROR(ReconcileProjects(projects));
  KS_RETURN_IF_ERROR(RemoveFinalizer(api::resources::kSecretShares, object));
  // The secret that replaced the one this share was made for was never shared by it.
  std::shared_ptr<const json> secret = cache_.SecretObject(share.SharedSecret());
  if (secret && !api::ViewSecret(*secret).deleting && ShareIsBoundTo(share, api::ViewSecret(*secret))) {
    events_.Record(*secret, kube::EventType::kNormal, "Unshared",
                   "no longer shared into community \"" + share.community + "\"");
  }
  return ReconcileResult::Done();
}

Status Reconciler::ReconcileProjectsReachedBy(const api::ObjectKey& secret) {
  return ReconcileProjects(ProjectsReachedBy(secret, cache_));
}

Status Reconciler::ReconcileProjects(const std::vector<std::string>& projects) {
  for (const std::string& ns : projects) KS_RETURN_IF_ERROR(ReconcileProject(ns).status);
  return Status::Ok();
}

Status Reconciler::EnsureFinalizer(const kube::Resource& resource, const json& object) {
  if (HasFinalizer(object)) return Status::Ok();
  json finalizers = object.value("/metadata/finalizers"_json_pointer, json::array());
  finalizers.push_back(kFinalizer);
  const api::ObjectKey key = api::KeyOf(object);
  return client_.MergePatch(resource, key.ns, key.name, FinalizersPatch(object, std::move(finalizers))).status();
}

Status Reconciler::RemoveFinalizer(const kube::Resource& resource, const json& object) {
  json finalizers = object.value("/metadata/finalizers"_json_pointer, json::array());
  finalizers.erase(std::remove(finalizers.begin(), finalizers.end(), kFinalizer), finalizers.end());
  const api::ObjectKey key = api::KeyOf(object);
  return IgnoreNotFound(
      client_.MergePatch(resource, key.ns, key.name, FinalizersPatch(object, std::move(finalizers))).status());
}

Status Reconciler::RewrapIfKeyRotated(const json& object, const crypto::Keyring& keyring) {
  const api::SecretView view = api::ViewSecret(object);
  StatusOr<crypto::SealedValue> sealed = SealedContent(view);
  if (!sealed.ok() || !crypto::NeedsRewrap(keyring, *sealed)) return Status::Ok();
  StatusOr<crypto::SealedValue> rewrapped =
      crypto::Rewrap(keyring, *sealed, crypto::AssociatedDataFor(view.key.ns, view.key.name));
  if (!rewrapped.ok()) return Status::Ok();  // the status reports what is wrong with the content
  json patch = {{"metadata", {{"resourceVersion", object.at("/metadata/resourceVersion"_json_pointer)}}},
                {"spec", {{"encrypted", crypto::ToJson(*rewrapped)}}}};
  KS_RETURN_IF_ERROR(client_.MergePatch(api::resources::kSecrets, view.key.ns, view.key.name, patch).status());
  spdlog::info("secret {}: data key re-wrapped from key {} to key {}", view.key.ToString(), sealed->key_id,
               keyring.active_id());
  return Status::Ok();
}

Status Reconciler::UpdateSecretStatus(const json& object, const crypto::Keyring& keyring) {
  const api::SecretView view = api::ViewSecret(object);
  SecretObservation observed;
  observed.generation = view.generation;
  StatusOr<std::string> plaintext = OpenContent(keyring, view);
  observed.decrypts = plaintext.ok();
  if (!plaintext.ok()) observed.decrypt_problem = plaintext.status().message();
  observed.in_project = cache_.Project(view.key.ns).has_value();
  observed.startup_variable = api::WhyNameChangesStartup(view.spec_name);
  // A secret stored past the webhooks may have no content at all (the status then says it does
  // not decrypt).
  if (const json encrypted = api::EncryptedJson(view); encrypted.is_object()) {
    observed.content_modified_time = encrypted.value("sealedAt", "");
  }
  for (const std::string& ns : ProjectsReachedBy(view.key, cache_)) {
    // Read once: the namespace may be gone by now, the watch being faster than this loop.
    const std::optional<api::ProjectView> project = cache_.Project(ns);
    if (!project) continue;
    Visibility visibility = VisibleTo(*project, cache_);
    const bool seen = std::any_of(visibility.visible.begin(), visibility.visible.end(),
                                  [&](const Candidate& c) { return IsSame(c, view.key); });
    if (seen && observed.decrypts) ++observed.visible_in;
    for (Shadowing& s : visibility.shadowed) {
      if (s.hidden == view.key) observed.shadowed.push_back(std::move(s));
    }
  }

  const json current = CachedSecretStatus(object);
  const json desired = DesiredSecretStatus(current, observed, now_());
  if (desired == current) return Status::Ok();
  KS_RETURN_IF_ERROR(
      client_.MergePatch(api::resources::kSecrets, view.key.ns, view.key.name, {{"status", desired}}, "status")
          .status());

  // Events for what changed, named but never valued.
  if (!current.contains("observedGeneration") && view.copy_from) {
    events_.Record(object, kube::EventType::kNormal, "Copied",
                   "copied from secrets.kernelsecrets.dev " + view.copy_from->ToString());
  }
  if (ConditionStatus(desired, "Shadowed") == "True" && ConditionStatus(current, "Shadowed") != "True") {
    events_.Record(object, kube::EventType::kWarning, "Shadowed", ConditionMessage(desired, "Shadowed"));
  }
  if (ConditionStatus(desired, "DecryptFailed") == "True" && ConditionStatus(current, "DecryptFailed") != "True") {
    events_.Record(object, kube::EventType::kWarning, "DecryptFailed",
                   "the content cannot be decrypted: " + observed.decrypt_problem);
  }
  return Status::Ok();
}

}  // namespace ks::op
