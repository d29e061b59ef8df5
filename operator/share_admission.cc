#include "operator/share_admission.h"

#include <regex>

#include "core/api/constants.h"

namespace ks::op {

using admission::AdmissionDecision;
using admission::AdmissionRequest;

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
  const api::ShareView share = api::ViewShare(request.object);
  if (share.deleting) return AdmissionDecision::Allow();  // finalizer bookkeeping must never be blocked

  if (Status s = ValidateCommunityName(share.community); !s.ok()) return AdmissionDecision::Deny(422, s.message());
  // Changing a share's community moves the secret out of one community and into another: both
  // must be the user's to administer.
  std::vector<std::string> communities{share.community};
  if (request.operation == "UPDATE") {
    const api::ShareView old = api::ViewShare(request.old_object);
    if (old.community != share.community) communities.push_back(old.community);
  }
  for (const std::string& community : communities) {
    StatusOr<bool> admin = is_admin_(request.user_info, community);
    if (!admin.ok()) {
      return AdmissionDecision::Deny(503,
                                     "could not check community admin rights, try again: " + admin.status().message());
    }
    if (!*admin) return AdmissionDecision::Deny(403, std::string(kOnlyCommunityAdminMessage));
  }

  if (!cluster_.Project(request.ns)) {
    return AdmissionDecision::Deny(422, "namespace \"" + request.ns + "\" is not a project (label " +
                                            std::string(api::kProjectLabel) +
                                            "=true): only a project's secrets can be shared");
  }
  if (share.secret_name.empty() || !cluster_.FindSecret(share.SharedSecret())) {
    return AdmissionDecision::Deny(422, "spec.secretName: no secrets.kernelsecrets.dev \"" + share.secret_name +
                                            "\" in namespace \"" + request.ns +
                                            "\"; a share names a secret of its own project");
  }
  return AdmissionDecision::Allow();
}

}  // namespace ks::op
