// Admission for secretshares.kernelsecrets.dev: only a community admin of spec.community may
// create or change a share (asked of the API server with a SubjectAccessReview for the verb
// `share` on `communities` of group kernelsecrets.dev); the share must name a Secret of its own
// project, and one whose name is no start-up variable (api::WhyNameChangesStartup) when the cache
// has it; spec.secretName cannot
// change, and the share's finalizer is the operator's: removing it takes the right to update
// secretshares/finalizers, which the chart grants to the operator's ServiceAccount alone (cluster
// admins have it too, and are trusted). Thread-safe; the access checks are the only I/O and are
// injected.
#pragma once

#include <functional>

#include "core/admission/review.h"
#include "core/common/status.h"
#include "operator/cluster_view.h"

namespace ks::op {

// The product's words for a refused share.
inline constexpr std::string_view kOnlyCommunityAdminMessage =
    "Only a community admin can share a secret in the community.";

class ShareAdmission {
 public:
  // The questions admission asks the API server about the request's user.
  struct AccessChecks {
    // Whether the user is a community admin of `community`.
    std::function<StatusOr<bool>(const admission::UserInfo& user, const std::string& community)> is_community_admin;
    // Whether the user may update secretshares/finalizers in namespace `ns`.
    std::function<StatusOr<bool>(const admission::UserInfo& user, const std::string& ns)> may_update_finalizers;
  };

  ShareAdmission(AccessChecks access, const ClusterView& cluster) : access_(std::move(access)), cluster_(cluster) {}

  admission::AdmissionDecision Validate(const admission::AdmissionRequest& request) const;

 private:
  // Refuses an update that takes the operator's finalizer away from someone without the right.
  std::optional<admission::AdmissionDecision> GuardFinalizer(const admission::AdmissionRequest& request) const;
  std::optional<admission::AdmissionDecision> RequireCommunityAdmin(const admission::AdmissionRequest& request) const;
  std::optional<admission::AdmissionDecision> RequireShareableSecret(const admission::AdmissionRequest& request) const;

  AccessChecks access_;
  const ClusterView& cluster_;
};

// Ok when `community` can be a namespace label value (it is one: kernelsecrets.dev/community).
Status ValidateCommunityName(const std::string& community);

}  // namespace ks::op
