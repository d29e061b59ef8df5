#include "core/kube/object.h"

#include "core/common/json_fields.h"

namespace ks::kube {

std::string MetadataField(const nlohmann::json& object, const char* field) {
  return StringAt(object, nlohmann::json::json_pointer("/metadata") / field);
}

std::string Annotation(const nlohmann::json& object, std::string_view key) {
  return StringAt(object, nlohmann::json::json_pointer("/metadata/annotations") / std::string(key));
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
