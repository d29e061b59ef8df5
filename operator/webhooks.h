// The operator's admission endpoints on its HTTPS server: /mutate/secrets and /validate/secrets
// for secrets.kernelsecrets.dev (the second registered only before Kubernetes 1.25, where the CRD
// has no CEL rules to do its checks), /validate/secretshares for secretshares.kernelsecrets.dev. Each
// counts its decisions into `metrics`. The share webhook, which asks the API server, runs on the
// server's workers (https::Server::Runs::kOnWorkers); the Secret webhooks answer from memory.
#pragma once

#include "core/https/server.h"
#include "core/metrics/registry.h"
#include "operator/secret_admission.h"
#include "operator/share_admission.h"

namespace ks::op {

// The admission objects and `metrics` must outlive the server.
void AddAdmissionRoutes(https::Server& server, metrics::Registry& metrics, const SecretAdmission& secrets,
                        const ShareAdmission& shares);

}  // namespace ks::op
