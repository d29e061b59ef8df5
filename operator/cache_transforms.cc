#include "operator/cache_transforms.h"

#include <string>

#include "core/api/constants.h"

namespace ks::op {
namespace {

using nlohmann::json;

// The object's metadata, or null when it has none worth trimming.
json* Metadata(json& object) {
  const auto it = object.find("metadata");
  return it != object.end() && it->is_object() ? &*it : nullptr;
}

void DropManagedFields(json& object) {
  if (json* metadata = Metadata(object)) metadata->erase("managedFields");
}

void DropAnnotation(json& object, std::string_view key) {
  json* metadata = Metadata(object);
  if (!metadata) return;
  const auto annotations = metadata->find("annotations");
  if (annotations == metadata->end() || !annotations->is_object()) return;
  annotations->erase(std::string(key));
  if (annotations->empty()) metadata->erase(annotations);
}

// Replaces the object member `key` of `parent` with its JSON text; anything else stays.
void KeepAsText(json& parent, const std::string& key) {
  const auto member = parent.find(key);
  if (member == parent.end() || !member->is_object()) return;
  std::string text = member->dump();
  text.shrink_to_fit();
  *member = std::move(text);
}

}  // namespace

void TrimWriteRecords(json& object) {
  DropManagedFields(object);
  DropAnnotation(object, api::kLastAppliedAnnotation);
}

void TrimSecret(json& object) {
  TrimWriteRecords(object);
  KeepAsText(object, "status");
  if (const auto spec = object.find("spec"); spec != object.end() && spec->is_object()) KeepAsText(*spec, "encrypted");
}

json CachedSecretStatus(const json& object) {
  const auto status = object.find("status");
  if (status == object.end()) return json::object();
  if (status->is_object()) return *status;
  if (!status->is_string()) return json::object();
  json parsed = json::parse(status->get_ref<const std::string&>(), nullptr, /*allow_exceptions=*/false);
  return parsed.is_object() ? parsed : json::object();
}

void TrimNativeSecret(json& object) { DropManagedFields(object); }

void TrimNamespace(json& object) {
  DropManagedFields(object);
  if (json* metadata = Metadata(object)) metadata->erase("annotations");
  object.erase("spec");
  object.erase("status");
}

}  // namespace ks::op
