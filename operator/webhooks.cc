#include "operator/webhooks.h"

#include "core/admission/instrumented_handler.h"
#include "core/admission/review.h"

namespace ks::op {

void AddAdmissionRoutes(https::Server& server, metrics::Registry& metrics, const SecretAdmission& secrets,
                        const ShareAdmission& shares) {
  auto route = [&](const std::string& name, admission::AdmissionHandler handler, https::Server::Runs runs) {
    admission::AdmissionHandler counted = admission::Instrumented(std::move(handler), name, metrics);
    server.Route(
        "POST", "/" + name,
        [counted = std::move(counted)](const https::HttpRequest& request) {
          return admission::ServeAdmission(request, counted);
        },
        https::Server::Access::kCallers, runs);
  };
  // The Secret webhooks answer from the cache and the keyring, in memory.
  route(
      "mutate/secrets", [&secrets](const admission::AdmissionRequest& r) { return secrets.Mutate(r); },
      https::Server::Runs::kInline);
  route(
      "validate/secrets", [&secrets](const admission::AdmissionRequest& r) { return secrets.Validate(r); },
      https::Server::Runs::kInline);
  // The share webhook waits for SubjectAccessReviews.
  route(
      "validate/secretshares", [&shares](const admission::AdmissionRequest& r) { return shares.Validate(r); },
      https::Server::Runs::kOnWorkers);
}

}  // namespace ks::op
