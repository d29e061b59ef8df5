// The routes every server of ours has: /healthz (the process answers), /readyz (the readiness
// callback says it can do its job) and /metrics (the registry in Prometheus text format).
#pragma once

#include <functional>

#include "core/https/server.h"
#include "core/metrics/registry.h"

namespace ks::https {

// `ready` is called from I/O threads on each /readyz; `metrics` must outlive the server.
void AddStandardRoutes(Server& server, std::function<bool()> ready, const metrics::Registry& metrics);

}  // namespace ks::https
