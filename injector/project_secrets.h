// What a project's kernels receive, without the values: the revision and the names the operator
// wrote into the annotations of the project's native Secret `kernel-secrets`.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ks::injector {

struct ProjectSecretsSummary {
  std::string revision;  // kernelsecrets.dev/revision, "unknown" when missing
  std::string names;     // kernelsecrets.dev/secret-names: "A,B,C", sorted; "" when missing
};

// Reads the two annotations of a native Secret, as its metadata alone (PartialObjectMetadata)
// carries them: the injector never asks for the data.
ProjectSecretsSummary SummarizeNativeSecret(const nlohmann::json& secret_metadata);

// The summary for project namespace `ns`, or nullopt when it has no native Secret (yet). Called on
// the admission path, so it answers from memory and never calls the API server.
using ProjectSecretsLookup = std::function<std::optional<ProjectSecretsSummary>(const std::string& ns)>;

}  // namespace ks::injector
