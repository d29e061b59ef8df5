#include "core/api/resources.h"

#include "core/api/constants.h"
#include "core/common/json_fields.h"

namespace ks::api {
namespace {

// Parsed once: a json_pointer literal splits its text into a new vector at every evaluation, and
// views are made of every secret of a project at each reconcile and each admission.
const json::json_pointer kMetadataCreationTimestamp("/metadata/creationTimestamp");
const json::json_pointer kMetadataDeletionTimestamp("/metadata/deletionTimestamp");
const json::json_pointer kMetadataGeneration("/metadata/generation");
const json::json_pointer kMetadataLabels("/metadata/labels");
const json::json_pointer kMetadataName("/metadata/name");
const json::json_pointer kMetadataNamespace("/metadata/namespace");
const json::json_pointer kMetadataUid("/metadata/uid");
const json::json_pointer kSpecCommunity("/spec/community");
const json::json_pointer kSpecCopyFrom("/spec/copyFrom");
const json::json_pointer kSpecCopyFromName("/spec/copyFrom/name");
const json::json_pointer kSpecCopyFromNamespace("/spec/copyFrom/namespace");
const json::json_pointer kSpecEncrypted("/spec/encrypted");
const json::json_pointer kSpecName("/spec/name");
const json::json_pointer kSpecSecretName("/spec/secretName");
const json::json_pointer kSpecValue("/spec/value");
const json::json_pointer kStatusSecretUID("/status/secretUID");

std::string Label(const json& object, std::string_view key) {
  const json* labels = FindAt(object, kMetadataLabels);
  if (labels == nullptr || !labels->is_object()) return "";
  const auto label = labels->find(key);
  return label != labels->end() && label->is_string() ? label->get<std::string>() : "";
}

}  // namespace

ObjectKey KeyOf(const json& object) {
  return {StringAt(object, kMetadataNamespace), StringAt(object, kMetadataName)};
}

SecretView ViewSecret(const json& object) {
  SecretView view;
  view.key = KeyOf(object);
  view.uid = StringAt(object, kMetadataUid);
  view.generation = object.value(kMetadataGeneration, std::int64_t{0});
  view.created_at = StringAt(object, kMetadataCreationTimestamp);
  view.deleting = object.contains(kMetadataDeletionTimestamp);
  view.spec_name = StringAt(object, kSpecName);
  view.has_plaintext = object.contains(kSpecValue);
  if (const json* encrypted = FindAt(object, kSpecEncrypted)) view.encrypted = EncryptedText(*encrypted);
  if (object.contains(kSpecCopyFrom)) {
    view.copy_from = ObjectKey{StringAt(object, kSpecCopyFromNamespace),
                               StringAt(object, kSpecCopyFromName)};
  }
  return view;
}

std::string EncryptedText(const json& encrypted) {
  // A string is the cache's text form: the CRD's schema makes a served spec.encrypted an object.
  if (encrypted.is_string()) return encrypted.get<std::string>();
  return encrypted.is_null() ? "" : encrypted.dump();
}

json EncryptedJson(const SecretView& secret) {
  if (secret.encrypted.empty()) return nullptr;
  json parsed = json::parse(secret.encrypted, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? json() : parsed;
}

bool HasSpecName(const json& object, std::string_view spec_name) {
  const json* name = FindAt(object, kSpecName);
  return name != nullptr && name->is_string() ? name->get_ref<const std::string&>() == spec_name : spec_name.empty();
}

ShareView ViewShare(const json& object) {
  ShareView view;
  view.key = KeyOf(object);
  view.created_at = StringAt(object, kMetadataCreationTimestamp);
  view.deleting = object.contains(kMetadataDeletionTimestamp);
  view.secret_name = StringAt(object, kSpecSecretName);
  view.community = StringAt(object, kSpecCommunity);
  view.bound_secret_uid = StringAt(object, kStatusSecretUID);
  return view;
}

std::optional<ProjectView> ViewProject(const json& namespace_object) {
  if (Label(namespace_object, kProjectLabel) != "true") return std::nullopt;
  if (namespace_object.contains(kMetadataDeletionTimestamp)) return std::nullopt;
  ProjectView view{StringAt(namespace_object, kMetadataName), std::nullopt};
  if (std::string community = Label(namespace_object, kCommunityLabel); !community.empty()) {
    view.community = std::move(community);
  }
  return view;
}

}  // namespace ks::api
