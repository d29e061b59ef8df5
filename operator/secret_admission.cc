#include "operator/secret_admission.h"

#include <algorithm>

#include "core/api/constants.h"
#include "core/api/secret_name.h"
#include "core/common/json_fields.h"
#include "operator/secret_content.h"
#include "operator/visibility.h"

namespace ks::op {
namespace {

using admission::AdmissionDecision;
using admission::AdmissionRequest;
using nlohmann::json;

const std::string kCreatedBy(api::kCreatedByAnnotation);
const std::string kFinalizer(api::kFinalizer);
const json::json_pointer kCreatedByPointer = json::json_pointer("/metadata/annotations") / kCreatedBy;

AdmissionDecision Refuse(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return AdmissionDecision::Deny(422, status.message());
    case StatusCode::kNotFound:
      return AdmissionDecision::Deny(404, status.message());
    case StatusCode::kAlreadyExists:
      return AdmissionDecision::Deny(409, status.message());
    case StatusCode::kPermissionDenied:
      return AdmissionDecision::Deny(403, status.message());
    default:
      return AdmissionDecision::Deny(500, status.message());
  }
}

std::string Describe(const api::ObjectKey& key) {
  return "secrets.kernelsecrets.dev \"" + key.name + "\" in namespace \"" + key.ns + "\"";
}

// The value in spec.value, when the request carries one; refuses a present but unusable value.
StatusOr<std::optional<std::string>> PlaintextOf(const json& object) {
  const json* value = FindAt(object, "/spec/value"_json_pointer);
  if (!value) return std::optional<std::string>();
  if (!value->is_string()) return InvalidArgument("spec.value must be a string");
  if (value->get_ref<const std::string&>().empty())
    return InvalidArgument("spec.value is empty; give the secret's content");
  return std::optional<std::string>(value->get<std::string>());
}

void AddFinalizer(json& object) {
  json& finalizers = object["metadata"]["finalizers"];
  if (!finalizers.is_array()) finalizers = json::array();
  if (std::find(finalizers.begin(), finalizers.end(), kFinalizer) == finalizers.end()) finalizers.push_back(kFinalizer);
}

// An update that carries no new value must keep `old`'s content. Two writers may still change
// spec.encrypted: key rotation (same ciphertext, re-wrapped data key) and the operator sealing a
// value that reached storage in plaintext. Anything else is a hand-written ciphertext.
Status CheckContentChange(const json& old, const json& new_encrypted, const crypto::Keyring& keyring) {
  const json* stored = FindAt(old, "/spec/encrypted"_json_pointer);
  const json old_encrypted = stored ? *stored : json();
  if (old_encrypted == new_encrypted) return Status::Ok();
  api::SecretView proposed = api::ViewSecret(old);
  proposed.encrypted = api::EncryptedText(new_encrypted);
  StatusOr<std::string> plaintext = OpenContent(keyring, proposed);
  if (plaintext.ok()) {
    const bool rewrapped = !old_encrypted.is_null() &&
                           old_encrypted.value("nonce", "") == new_encrypted.value("nonce", "") &&
                           old_encrypted.value("ciphertext", "") == new_encrypted.value("ciphertext", "");
    const bool sealed_stored_value =
        old_encrypted.is_null() && StringAt(old, "/spec/value"_json_pointer) == *plaintext;
    if (rewrapped || sealed_stored_value) return Status::Ok();
  }
  return InvalidArgument("spec.encrypted is written by kernel-secrets only; to change the content, set spec.value");
}

}  // namespace

AdmissionDecision SecretAdmission::Mutate(const AdmissionRequest& request) const {
  if (request.operation == "CREATE") return MutateCreate(request);
  if (request.operation == "UPDATE") return MutateUpdate(request);
  return AdmissionDecision::Allow();
}

AdmissionDecision SecretAdmission::MutateCreate(const AdmissionRequest& request) const {
  json object = request.object;
  if (!StringAt(object, "/metadata/generateName"_json_pointer).empty()) {
    return AdmissionDecision::Deny(
        422, "metadata.generateName is not supported for secrets.kernelsecrets.dev; set metadata.name");
  }
  const api::ObjectKey key{request.ns, StringAt(object, "/metadata/name"_json_pointer)};
  const std::string spec_name = StringAt(object, "/spec/name"_json_pointer);
  if (Status s = api::ValidateSecretName(spec_name); !s.ok()) return Refuse(s);
  if (Status s = api::ValidateNameIsNotStartupVariable(spec_name); !s.ok()) return Refuse(s);
  if (Status s = CheckNameIsFree(key.ns, key.name, spec_name); !s.ok()) return Refuse(s);
  if (FindAt(object, "/spec/encrypted"_json_pointer)) {
    return AdmissionDecision::Deny(422,
                                   "spec.encrypted is written by kernel-secrets only; give the content in spec.value");
  }

  std::shared_ptr<const crypto::Keyring> keyring = keyring_();
  StatusOr<std::optional<std::string>> value = PlaintextOf(object);
  if (!value.ok()) return Refuse(value.status());
  std::optional<std::string> plaintext = std::move(*value);
  if (const json* copy_from = FindAt(object, "/spec/copyFrom"_json_pointer)) {
    const api::ObjectKey source{copy_from->value("namespace", key.ns), copy_from->value("name", "")};
    StatusOr<std::string> copied = ReadCopySource(key.ns, source, *keyring);
    if (!copied.ok()) return Refuse(copied.status());
    object["spec"]["copyFrom"]["namespace"] = source.ns;  // record the origin in full
    if (!plaintext) plaintext = std::move(*copied);       // a value given beside copyFrom wins
  }
  if (!plaintext)
    return AdmissionDecision::Deny(422, "spec.value or spec.copyFrom is required: a secret needs content");

  StatusOr<crypto::SealedValue> sealed = SealContent(*keyring, *plaintext, key);
  if (!sealed.ok()) return Refuse(Internal("could not encrypt the secret: " + sealed.status().message()));
  StoreSealed(object, *sealed);
  object["metadata"]["annotations"][kCreatedBy] = request.user_info.username;
  AddFinalizer(object);
  return AdmissionDecision::AllowWithObject(std::move(object));
}

AdmissionDecision SecretAdmission::MutateUpdate(const AdmissionRequest& request) const {
  json object = request.object;
  const json& old = request.old_object;
  const api::ObjectKey key{request.ns, StringAt(object, "/metadata/name"_json_pointer)};

  // The creator is recorded once; an update that drops the annotation (kubectl replace) gets it back.
  if (const json* creator = FindAt(old, kCreatedByPointer)) {
    const json* claimed = FindAt(object, kCreatedByPointer);
    if (claimed && *claimed != *creator) {
      return AdmissionDecision::Deny(
          422, "metadata.annotations[" + kCreatedBy + "] records the creator and cannot be changed");
    }
    object["metadata"]["annotations"][kCreatedBy] = *creator;
  }
  const json* old_copy_from = FindAt(old, "/spec/copyFrom"_json_pointer);
  const json* new_copy_from = FindAt(object, "/spec/copyFrom"_json_pointer);
  if (new_copy_from && (!old_copy_from || *new_copy_from != *old_copy_from)) {
    return AdmissionDecision::Deny(
        422, "spec.copyFrom can only be set when a secret is created; create a new secret to copy another one");
  }
  if (old_copy_from) object["spec"]["copyFrom"] = *old_copy_from;

  // Finalizer bookkeeping on a secret being deleted must never be blocked by a rule on its name.
  // Uniqueness and start-up variables are checked only when the name changes: should two secrets
  // share a name (creates that raced past the cache), each can still be edited, and the hidden one
  // renamed away; a secret named before the start-up rule existed can still be re-wrapped after
  // key rotation, and renamed.
  if (!object.contains("/metadata/deletionTimestamp"_json_pointer)) {
    const std::string spec_name = StringAt(object, "/spec/name"_json_pointer);
    if (Status s = api::ValidateSecretName(spec_name); !s.ok()) return Refuse(s);
    if (spec_name != StringAt(old, "/spec/name"_json_pointer)) {
      if (Status s = api::ValidateNameIsNotStartupVariable(spec_name); !s.ok()) return Refuse(s);
      if (Status s = CheckNameIsFree(key.ns, key.name, spec_name); !s.ok()) return Refuse(s);
    }
  }

  std::shared_ptr<const crypto::Keyring> keyring = keyring_();
  StatusOr<std::optional<std::string>> value = PlaintextOf(object);
  if (!value.ok()) return Refuse(value.status());
  if (const std::optional<std::string>& plaintext = *value) {
    api::SecretView stored = api::ViewSecret(old);
    if (MayKeepStoredCiphertext(request, *keyring, stored, *plaintext)) {
      StatusOr<crypto::SealedValue> kept = SealedContent(stored);
      StoreSealed(object, *kept);
    } else {
      StatusOr<crypto::SealedValue> sealed = SealContent(*keyring, *plaintext, key);
      if (!sealed.ok()) return Refuse(Internal("could not encrypt the secret: " + sealed.status().message()));
      StoreSealed(object, *sealed);
    }
  } else if (const json* encrypted = FindAt(object, "/spec/encrypted"_json_pointer)) {
    if (Status s = CheckContentChange(old, *encrypted, *keyring); !s.ok()) return Refuse(s);
    ScrubLastApplied(object);
  } else {
    // An update without content (kubectl replace of a manifest without spec.value) keeps the content.
    if (const json* old_encrypted = FindAt(old, "/spec/encrypted"_json_pointer))
      object["spec"]["encrypted"] = *old_encrypted;
    ScrubLastApplied(object);
  }
  return AdmissionDecision::AllowWithObject(std::move(object));
}

bool SecretAdmission::MayKeepStoredCiphertext(const AdmissionRequest& request, const crypto::Keyring& keyring,
                                              const api::SecretView& stored, const std::string& plaintext) const {
  // A dry run is sealed afresh whatever its value: its answer, which changes nothing, would tell
  // whoever asks whether a guess equals the stored value.
  if (reapplied_ == ReappliedValues::kSealAfresh || request.dry_run) return false;
  StatusOr<std::string> stored_plaintext = OpenContent(keyring, stored);
  return stored_plaintext.ok() && *stored_plaintext == plaintext;
}

AdmissionDecision SecretAdmission::Validate(const AdmissionRequest& request) const {
  if (request.operation != "CREATE" && request.operation != "UPDATE") return AdmissionDecision::Allow();
  if (request.object.contains("/spec/value"_json_pointer)) {
    return AdmissionDecision::Deny(422,
                                   "spec.value would be stored in plaintext: the kernel-secrets mutating webhook must "
                                   "run on secrets.kernelsecrets.dev");
  }
  if (!request.object.contains("/spec/encrypted"_json_pointer)) {
    return AdmissionDecision::Deny(422, "spec.encrypted is missing: give the content in spec.value");
  }
  return AdmissionDecision::Allow();
}

Status SecretAdmission::CheckNameIsFree(const std::string& ns, const std::string& object_name,
                                        const std::string& spec_name) const {
  for (const api::SecretView& other : cluster_.SecretsNamed(ns, spec_name)) {
    if (other.key.name != object_name && !other.deleting) {
      return AlreadyExists("a secret named \"" + spec_name + "\" already exists in project \"" + ns + "\" (" +
                           Describe(other.key) + "); names are unique within a project");
    }
  }
  return Status::Ok();
}

StatusOr<std::string> SecretAdmission::ReadCopySource(const std::string& ns, const api::ObjectKey& source,
                                                      const crypto::Keyring& keyring) const {
  const api::ProjectView project = cluster_.Project(ns).value_or(api::ProjectView{ns, std::nullopt});
  const std::vector<Candidate> visible = GatherCandidates(project, cluster_);
  auto found = std::find_if(visible.begin(), visible.end(), [&](const Candidate& c) { return IsSame(c, source); });
  if (found == visible.end()) {
    // One answer for "missing" and "not visible": a copy request must not reveal other projects.
    return NotFound("spec.copyFrom: " + Describe(source) + " does not exist or is not visible to project \"" + ns +
                    "\"; a secret can be copied from its own project or from a secret shared into its community");
  }
  StatusOr<std::string> plaintext = OpenContent(keyring, found->secret);
  if (!plaintext.ok()) return DataLoss("spec.copyFrom: the content of " + Describe(source) + " cannot be decrypted");
  return plaintext;
}

}  // namespace ks::op
