#include "injector/project_secrets.h"

#include "core/api/constants.h"

namespace ks::injector {
namespace {

std::string AnnotationOr(const nlohmann::json& object, std::string_view key, const std::string& fallback) {
  const auto pointer = nlohmann::json::json_pointer("/metadata/annotations") / std::string(key);
  return object.contains(pointer) && object.at(pointer).is_string() ? object.at(pointer).get<std::string>() : fallback;
}

}  // namespace

ProjectSecretsSummary SummarizeNativeSecret(const nlohmann::json& secret_metadata) {
  return {.revision = AnnotationOr(secret_metadata, api::kRevisionAnnotation, "unknown"),
          .names = AnnotationOr(secret_metadata, api::kSecretNamesAnnotation, "")};
}

}  // namespace ks::injector
