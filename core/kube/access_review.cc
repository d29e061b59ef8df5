#include "core/kube/access_review.h"

namespace ks::kube {
namespace {

// The non-empty fields only: the API server treats an absent field and an empty one alike, and
// a smaller review is easier to read in an audit log.
void SetIfGiven(json& object, const char* key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}

}  // namespace

StatusOr<AccessReviewResult> ReviewAccess(Client& client, const AccessReviewRequest& request) {
  json attributes = {{"verb", request.verb}, {"resource", request.resource}, {"group", request.group}};
  SetIfGiven(attributes, "subresource", request.subresource);
  SetIfGiven(attributes, "name", request.name);
  SetIfGiven(attributes, "namespace", request.ns);

  json spec = {{"resourceAttributes", attributes}};
  SetIfGiven(spec, "user", request.user);
  SetIfGiven(spec, "uid", request.uid);
  if (!request.groups.empty()) spec["groups"] = request.groups;
  if (!request.extra.empty()) spec["extra"] = request.extra;

  const json review = {
      {"apiVersion", resources::kSubjectAccessReviews.ApiVersion()}, {"kind", "SubjectAccessReview"}, {"spec", spec}};
  StatusOr<json> answer = client.CreateReview(resources::kSubjectAccessReviews, review);
  if (!answer.ok()) return answer.status();
  const json status = answer->value("status", json::object());
  return AccessReviewResult{status.value("allowed", false), status.value("reason", "")};
}

}  // namespace ks::kube
