#include "operator/secret_content.h"

#include "core/api/constants.h"

namespace ks::op {

using nlohmann::json;

StatusOr<crypto::SealedValue> SealedContent(const api::SecretView& secret) {
  return crypto::SealedValueFromJson(api::EncryptedJson(secret));
}

StatusOr<std::string> OpenContent(const crypto::Keyring& keyring, const api::SecretView& secret) {
  if (secret.encrypted.empty()) return DataLoss("spec.encrypted is missing");
  StatusOr<crypto::SealedValue> sealed = SealedContent(secret);
  if (!sealed.ok()) return DataLoss("spec.encrypted is malformed: " + sealed.status().message());
  return OpenSealed(keyring, *sealed, secret.key);
}

StatusOr<std::string> OpenSealed(const crypto::Keyring& keyring, const crypto::SealedValue& sealed,
                                 const api::ObjectKey& key) {
  return crypto::Open(keyring, sealed, crypto::AssociatedDataFor(key.ns, key.name));
}

StatusOr<crypto::SealedValue> SealContent(const crypto::Keyring& keyring, const std::string& plaintext,
                                          const api::ObjectKey& key) {
  return crypto::Seal(keyring, plaintext, crypto::AssociatedDataFor(key.ns, key.name));
}

void StoreSealed(json& object, const crypto::SealedValue& sealed) {
  object["spec"].erase("value");
  object["spec"]["encrypted"] = crypto::ToJson(sealed);
  ScrubLastApplied(object);
}

void ScrubLastApplied(json& object) {
  const json::json_pointer pointer =
      json::json_pointer("/metadata/annotations") / std::string(api::kLastAppliedAnnotation);
  if (!object.contains(pointer)) return;
  json& annotations = object["metadata"]["annotations"];
  const json& text = object.at(pointer);
  json applied = text.is_string() ? json::parse(text.get<std::string>(), nullptr, /*allow_exceptions=*/false) : json();
  if (applied.is_discarded() || !applied.is_object()) {
    annotations.erase(std::string(api::kLastAppliedAnnotation));
    return;
  }
  if (!applied.contains("/spec/value"_json_pointer)) return;
  applied["spec"].erase("value");
  // kubectl ends the annotation with a newline; keep that so the stored text is what kubectl wrote.
  annotations[std::string(api::kLastAppliedAnnotation)] = applied.dump() + "\n";
}

}  // namespace ks::op
