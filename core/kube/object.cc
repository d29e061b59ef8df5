#include "core/kube/object.h"

namespace ks::kube {

std::string MetadataField(const nlohmann::json& object, const char* field) {
  const auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return "";
  const auto value = metadata->find(field);
  return value != metadata->end() && value->is_string() ? value->get<std::string>() : "";
}

std::string Annotation(const nlohmann::json& object, std::string_view key) {
  const auto pointer = nlohmann::json::json_pointer("/metadata/annotations") / std::string(key);
  return object.contains(pointer) && object.at(pointer).is_string() ? object.at(pointer).get<std::string>() : "";
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
