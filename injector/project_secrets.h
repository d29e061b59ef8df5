// What a project's kernels receive, without the values: the revision and the names held by the
// project's native Secret `kernel-secrets`, as the operator wrote it.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ks::injector {

struct ProjectSecretsSummary {
  std::string revision;            // the Secret's kernelsecrets.dev/revision, "unknown" when missing
  std::vector<std::string> names;  // the Secret's data keys, sorted
};

// Reads only the annotation and the data keys of a native Secret, never the data values.
ProjectSecretsSummary SummarizeNativeSecret(const nlohmann::json& secret);

// The summary for project namespace `ns`, or nullopt when it has no native Secret (yet). Called on
// the admission path, so it answers from memory and never calls the API server.
using ProjectSecretsLookup = std::function<std::optional<ProjectSecretsSummary>(const std::string& ns)>;

}  // namespace ks::injector
