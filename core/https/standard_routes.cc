#include "core/https/standard_routes.h"

namespace ks::https {

void AddStandardRoutes(Server& server, std::function<bool()> ready, const MetricsRegistry& metrics) {
  server.Route("GET", "/healthz", [](const HttpRequest&) { return HttpResponse::Text(200, "ok\n"); });
  server.Route("GET", "/readyz", [ready = std::move(ready)](const HttpRequest&) {
    return ready() ? HttpResponse::Text(200, "ok\n") : HttpResponse::Text(503, "not ready\n");
  });
  server.Route("GET", "/metrics", [&metrics](const HttpRequest&) {
    HttpResponse response = HttpResponse::Text(200, metrics.Exposition());
    response.content_type = kExpositionContentType;
    return response;
  });
}

}  // namespace ks::https
