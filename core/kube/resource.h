// The API resources kernel-secrets calls, named as the API server's URL paths name them. Apart
// from the client, so that code which only names a resource needs no HTTP client.
#pragma once

#include <string>

namespace ks::kube {

// Which collection a call addresses, e.g. {"kernelsecrets.dev", "v1alpha1", "secrets", true}.
// An empty group means the core API (/api/v1).
struct Resource {
  std::string group;
  std::string version;
  std::string plural;
  bool namespaced = true;

  std::string ApiVersion() const { return group.empty() ? version : group + "/" + version; }
};

namespace resources {
inline const Resource kNamespaces{"", "v1", "namespaces", false};
inline const Resource kSecrets{"", "v1", "secrets", true};
inline const Resource kPods{"", "v1", "pods", true};
inline const Resource kEvents{"", "v1", "events", true};
inline const Resource kLeases{"coordination.k8s.io", "v1", "leases", true};
inline const Resource kSubjectAccessReviews{"authorization.k8s.io", "v1", "subjectaccessreviews", false};
}  // namespace resources

}  // namespace ks::kube
