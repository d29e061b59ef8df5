// The flags our binaries share: where the API server is, how to serve HTTPS, how to log. One
// definition, so the operator and the injector (and their chart) agree on names and defaults.
#pragma once

#include "core/common/flags.h"
#include "core/https/server.h"

namespace ks::https {

// --kubeconfig, --tls-cert, --tls-key, --bind-address, --port, --reuse-port, --drain-timeout,
// --max-connections, --client-ca, --client-names, --log-format.
void DefineServerFlags(Flags& flags);

// The server options those flags give; InvalidArgument for a bad --port, --reuse-port,
// --drain-timeout or --max-connections, or --client-names without --client-ca.
StatusOr<ServerOptions> ServerOptionsFromFlags(const Flags& flags);

}  // namespace ks::https
