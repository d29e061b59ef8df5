// Reading an object's identity from its JSON, the same way everywhere: metadata fields, and the
// "namespace/name" key that caches and work queues use.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

namespace ks::kube {

// metadata.<field> as a string; empty when absent or not a string.
std::string MetadataField(const nlohmann::json& object, const char* field);

// metadata.annotations[key] as a string; empty when absent or not a string.
std::string Annotation(const nlohmann::json& object, std::string_view key);

// "namespace/name", or "name" for a cluster-scoped object.
std::string ObjectKey(const nlohmann::json& object);
// {namespace, name}; the namespace is empty for a cluster-scoped key.
std::pair<std::string, std::string> SplitObjectKey(const std::string& key);

}  // namespace ks::kube
