#include "operator/webhooks.h"

#include "core/admission/review.h"

namespace ks::op {

void AddAdmissionRoutes(https::Server& server, const SecretAdmission& secrets, const ShareAdmission& shares) {
  auto route = [&server](const std::string& path, admission::AdmissionHandler handler) {
    server.Route("POST", path, [handler = std::move(handler)](const https::HttpRequest& request) {
      return admission::ServeAdmission(request, handler);
    });
  };
  route("/mutate/secrets", [&secrets](const admission::AdmissionRequest& r) { return secrets.Mutate(r); });
  route("/validate/secrets", [&secrets](const admission::AdmissionRequest& r) { return secrets.Validate(r); });
  route("/validate/secretshares", [&shares](const admission::AdmissionRequest& r) { return shares.Validate(r); });
}

}  // namespace ks::op
