// The operator's admission endpoints on its HTTPS server: /mutate/secrets and /validate/secrets
// for secrets.kernelsecrets.dev, /validate/secretshares for secretshares.kernelsecrets.dev.
#pragma once

#include "core/https/server.h"
#include "operator/secret_admission.h"
#include "operator/share_admission.h"

namespace ks::op {

void AddAdmissionRoutes(https::Server& server, const SecretAdmission& secrets, const ShareAdmission& shares);

}  // namespace ks::op
