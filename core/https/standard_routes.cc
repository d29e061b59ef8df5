#include "core/https/standard_routes.h"

namespace ks::https {

void AddStandardRoutes(Server& server, std::function<bool()> ready, const metrics::Registry& metrics) {
  // Open to anyone: the kubelet's probes and Prometheus present no client certificate, and none of
  // the three says anything about a secret.
  constexpr Server::Access kAnyone = Server::Access::kAnyone;
  server.Route("GET", "/healthz", [](const HttpRequest&) { return HttpResponse::Text(200, "ok\n"); }, kAnyone);
  server.Route(
      "GET", "/readyz",
      [ready = std::move(ready)](const HttpRequest&) {
        return ready() ? HttpResponse::Text(200, "ok\n") : HttpResponse::Text(503, "not ready\n");
      },
      kAnyone);
  server.Route(
      "GET", "/metrics",
      [&metrics](const HttpRequest&) {
        HttpResponse response = HttpResponse::Text(200, metrics.Exposition());
        response.content_type = metrics::kExpositionContentType;
        return response;
      },
      kAnyone);
}

}  // namespace ks::https
