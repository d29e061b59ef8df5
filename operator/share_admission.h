// Admission for secretshares.kernelsecrets.dev: only a community admin of spec.community may
// create or change a share (asked of the API server with a SubjectAccessReview for the verb
// `share` on `communities` of group kernelsecrets.dev), and the share must name a Secret of its
// own project. Thread-safe; the admin check is the only I/O and is injected.
#pragma once

#include <functional>

#include "core/admission/review.h"
#include "operator/visibility.h"

namespace ks::op {

// The product's words for a refused share.
inline constexpr std::string_view kOnlyCommunityAdminMessage =
    "Only a community admin can share a secret in the community.";

class ShareAdmission {
 public:
  // Answers whether `user` is a community admin of `community`.
  using AdminCheck = std::function<StatusOr<bool>(const admission::UserInfo& user, const std::string& community)>;

  ShareAdmission(AdminCheck is_admin, const ClusterView& cluster) : is_admin_(std::move(is_admin)), cluster_(cluster) {}

  admission::AdmissionDecision Validate(const admission::AdmissionRequest& request) const;

 private:
  AdminCheck is_admin_;
  const ClusterView& cluster_;
};

// Ok when `community` can be a namespace label value (it is one: kernelsecrets.dev/community).
Status ValidateCommunityName(const std::string& community);

}  // namespace ks::op
