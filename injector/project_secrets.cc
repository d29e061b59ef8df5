#include "injector/project_secrets.h"

#include "core/api/constants.h"
#include "core/kube/object.h"

namespace ks::injector {

ProjectSecretsSummary SummarizeNativeSecret(const nlohmann::json& secret_metadata) {
  const std::string revision = kube::Annotation(secret_metadata, api::kRevisionAnnotation);
  return {.revision = revision.empty() ? "unknown" : revision,
          .names = kube::Annotation(secret_metadata, api::kSecretNamesAnnotation)};
}

}  // namespace ks::injector
