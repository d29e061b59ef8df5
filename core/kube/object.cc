#include "core/kube/object.h"

#include "core/common/json_fields.h"

namespace ks::kube {

// The pointers are parsed once: parsing one per call, and copying it to append the key, was most of
// the injector's cache lookup per admission.
std::string MetadataField(const nlohmann::json& object, const char* field) {
  static const nlohmann::json::json_pointer kMetadata("/metadata");
  return StringAt(object, kMetadata, field);
}

std::string Annotation(const nlohmann::json& object, std::string_view key) {
  static const nlohmann::json::json_pointer kAnnotations("/metadata/annotations");
  return StringAt(object, kAnnotations, key);
}

std::string ObjectKey(const nlohmann::json& object) {
  const std::string ns = MetadataField(object, "namespace");
  const std::string name = MetadataField(object, "name");
  return ns.empty() ? name : ns + "/" + name;
}

std::pair<std::string, std::string> SplitObjectKey(const std::string& key) {
  const auto slash = key.find('/');
  if (slash == std::string::npos) return {"", key};
  return {key.substr(0, slash), key.substr(slash + 1)};
}

}  // namespace ks::kube
