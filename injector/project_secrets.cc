#include "injector/project_secrets.h"

#include <algorithm>

#include "core/api/constants.h"

namespace ks::injector {

ProjectSecretsSummary SummarizeNativeSecret(const nlohmann::json& secret) {
  ProjectSecretsSummary summary{.revision = "unknown", .names = {}};
  const auto revision = nlohmann::json::json_pointer("/metadata/annotations") / std::string(api::kRevisionAnnotation);
  if (secret.contains(revision) && secret.at(revision).is_string())
    summary.revision = secret.at(revision).get<std::string>();
  if (const auto data = secret.find("data"); data != secret.end() && data->is_object()) {
    for (const auto& item : data->items()) summary.names.push_back(item.key());
  }
  std::sort(summary.names.begin(), summary.names.end());
  return summary;
}

}  // namespace ks::injector
