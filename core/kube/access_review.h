// Asks the API server whether a user may do something (a SubjectAccessReview), e.g. whether the
// author of a request is a community admin. The answer comes from the cluster's authorizers (RBAC).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/kube/client.h"

namespace ks::kube {

// Members default to empty, so that a request names only the fields it needs.
struct AccessReviewRequest {
  // Who: as an AdmissionReview's userInfo carries it.
  std::string user{};
  std::vector<std::string> groups{};
  std::string uid{};
  std::map<std::string, std::vector<std::string>> extra{};
  // What.
  std::string verb{};
  std::string group{};  // API group; empty for the core group
  std::string resource{};
  std::string subresource{};  // e.g. "finalizers"; empty: the resource itself
  std::string name{};         // empty: any
  std::string ns{};           // empty: cluster-wide
};

struct AccessReviewResult {
  bool allowed = false;
  std::string reason;  // why, when the authorizer says
};

StatusOr<AccessReviewResult> ReviewAccess(Client& client, const AccessReviewRequest& request);

}  // namespace ks::kube
