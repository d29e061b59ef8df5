#include "operator/webhooks.h"

#include "core/admission/instrumented_handler.h"
#include "core/admission/review.h"

namespace ks::op {

void AddAdmissionRoutes(https::Server& server, metrics::Registry& metrics, const SecretAdmission& secrets,
                        const ShareAdmission& shares) {
  auto route = [&](const std::string& name, admission::AdmissionHandler handler) {
    admission::AdmissionHandler counted = admission::Instrumented(std::move(handler), name, metrics);
    server.Route("POST", "/" + name, [counted = std::move(counted)](const https::HttpRequest& request) {
      return admission::ServeAdmission(request, counted);
    });
  };
  route("mutate/secrets", [&secrets](const admission::AdmissionRequest& r) { return secrets.Mutate(r); });
  route("validate/secrets", [&secrets](const admission::AdmissionRequest& r) { return secrets.Validate(r); });
  route("validate/secretshares", [&shares](const admission::AdmissionRequest& r) { return shares.Validate(r); });
}

}  // namespace ks::op
