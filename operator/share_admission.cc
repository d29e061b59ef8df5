#include "operator/share_admission.h"

#include <algorithm>
#include <regex>

#include "core/api/constants.h"
#include "core/api/secret_name.h"

namespace ks::op {
namespace {

using admission::AdmissionDecision;
using admission::AdmissionRequest;
using nlohmann::json;

bool HasFinalizer(const json& object) {
  const json finalizers = object.value("/metadata/finalizers"_json_pointer, json::array());
  return std::find(finalizers.begin(), finalizers.end(), api::kFinalizer) != finalizers.end();
}

AdmissionDecision AccessReviewFailed(const Status& status) {
  return AdmissionDecision::Deny(503, "could not check the user's rights, try again: " + status.message());
}

}  // namespace

Status ValidateCommunityName(const std::string& community) {
  // The syntax of a Kubernetes label value, which is where a project names its community.
  static const std::regex kLabelValue("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
  if (std::regex_match(community, kLabelValue)) return Status::Ok();
  return InvalidArgument("spec.community \"" + community +
                         "\" is not a community name: it must be a label value of at most 63 characters, "
                         "letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
}

AdmissionDecision ShareAdmission::Validate(const AdmissionRequest& request) const {
  if (request.operation != "CREATE" && request.operation != "UPDATE") return AdmissionDecision::Allow();
  if (std::optional<AdmissionDecision> refused = GuardFinalizer(request)) return *refused;
  const api::ShareView share = api::ViewShare(request.object);
  if (share.deleting) return AdmissionDecision::Allow();  // the operator's finalizer bookkeeping

  if (Status s = ValidateCommunityName(share.community); !s.ok()) return AdmissionDecision::Deny(422, s.message());
  if (request.operation == "UPDATE" && share.secret_name != api::ViewShare(request.old_object).secret_name) {
    return AdmissionDecision::Deny(422,
                                   "spec.secretName cannot be changed: a share follows the secret it was made for; "
                                   "create another share to share another secret");
  }
  if (std::optional<AdmissionDecision> refused = RequireCommunityAdmin(request)) return *refused;
  if (std::optional<AdmissionDecision> refused = RequireShareableSecret(request)) return *refused;
  return AdmissionDecision::Allow();
}

std::optional<AdmissionDecision> ShareAdmission::GuardFinalizer(const AdmissionRequest& request) const {
  if (request.operation != "UPDATE" || !HasFinalizer(request.old_object) || HasFinalizer(request.object)) {
    return std::nullopt;
  }
  StatusOr<bool> allowed = access_.may_update_finalizers(request.user_info, request.ns);
  if (!allowed.ok()) return AccessReviewFailed(allowed.status());
  if (*allowed) return std::nullopt;
  return AdmissionDecision::Deny(403, "metadata.finalizers: " + std::string(api::kFinalizer) +
                                          " is removed by kernel-secrets once every project has lost the share; "
                                          "delete the share and leave its finalizer in place");
}

std::optional<AdmissionDecision> ShareAdmission::RequireCommunityAdmin(const AdmissionRequest& request) const {
  // Changing a share's community moves the secret out of one community and into another: both
  // must be the user's to administer.
  std::vector<std::string> communities{api::ViewShare(request.object).community};
  if (request.operation == "UPDATE") {
    const std::string old_community = api::ViewShare(request.old_object).community;
    if (old_community != communities.front()) communities.push_back(old_community);
  }
  for (const std::string& community : communities) {
    StatusOr<bool> admin = access_.is_community_admin(request.user_info, community);
    if (!admin.ok()) return AccessReviewFailed(admin.status());
    if (!*admin) return AdmissionDecision::Deny(403, std::string(kOnlyCommunityAdminMessage));
  }
  return std::nullopt;
}

std::optional<AdmissionDecision> ShareAdmission::RequireShareableSecret(const AdmissionRequest& request) const {
  if (!cluster_.Project(request.ns)) {
    return AdmissionDecision::Deny(422, "namespace \"" + request.ns + "\" is not a project (label " +
                                            std::string(api::kProjectLabel) +
                                            "=true): only a project's secrets can be shared");
  }
  const api::ShareView share = api::ViewShare(request.object);
  if (share.secret_name.empty()) {
    return AdmissionDecision::Deny(422, "spec.secretName is empty: a share names a secret of its own project");
  }
  // A secret the cache has not seen yet may be one created a moment ago (a folder of manifests
  // applied at once): the share is admitted, and the reconciler decides, as for any share, whether
  // the secret it finds is the one the share was made for (ShareIsBoundTo; SecretNotFound and
  // SecretReplaced otherwise). A secret with a start-up name is never delivered either way;
  // refusing its share here only says so at once.
  std::optional<api::SecretView> secret = cluster_.FindSecret(share.SharedSecret());
  if (!secret) return std::nullopt;
  if (Status s = api::ValidateNameIsNotStartupVariable(secret->spec_name); !s.ok()) {
    return AdmissionDecision::Deny(422, "spec.secretName: secrets.kernelsecrets.dev \"" + share.secret_name +
                                            "\" cannot be shared: " + s.message());
  }
  return std::nullopt;
}

}  // namespace ks::op
