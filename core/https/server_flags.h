// The flags our binaries share: where the API server is, how to serve HTTPS, how to log. One
// definition, so the operator and the injector (and their chart) agree on names and defaults.
#pragma once

#include <string>

#include "core/common/flags.h"
#include "core/https/server.h"

namespace ks::https {

// --kubeconfig, --tls-cert, --tls-key, --bind-address, --port, --reuse-port, --drain-timeout,
// --max-connections, --client-ca, --client-names, --log-format, bound to `kubeconfig` (empty:
// $KUBECONFIG, then in-cluster, then ~/.kube/config) and `server`, into which the serving defaults
// are set first. A bad --port,
// --reuse-port, --drain-timeout or --max-connections, or --client-names without --client-ca, fail
// the parse.
void DefineServerFlags(CLI::App& app, std::string& kubeconfig, ServerOptions& server);

}  // namespace ks::https
