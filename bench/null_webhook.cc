// A webhook server that admits every review unchanged, on /mutate/secrets and /validate/secrets:
// what the webhooks cost the API server on this machine, with our HTTPS server and review parser
// and no decision at all (bench/operator_scale.sh's floors). With --mutate true, /mutate/secrets
// answers with a patch of one operation (an annotation added), as any webhook that changes the object must: the floor of
// a mutating webhook. Takes the server flags of both binaries (docs/operations.md); serves until
// SIGTERM or SIGINT.
#include <spdlog/spdlog.h>

#include "core/admission/review.h"
#include "core/common/flags.h"
#include "core/common/signals.h"
#include "core/https/server.h"
#include "core/https/server_flags.h"
#include "core/https/standard_routes.h"
#include "core/metrics/registry.h"

int main(int argc, char** argv) {
  ks::TerminationSignals signals;
  ks::Flags flags("null_webhook: admits every AdmissionReview unchanged (a benchmark's floor)");
  std::string kubeconfig;  // taken for the flags' sake; nothing here calls the API
  ks::https::ServerOptions options;
  ks::https::DefineServerFlags(flags, kubeconfig, options);
  bool mutate = false;
  ks::AddBoolFlag(flags, "--mutate", mutate, "answer /mutate/secrets with a one-operation patch (adds an annotation)");
  if (std::optional<int> exit_code = ks::HandleCommandLine(flags, argc, argv)) return *exit_code;

  ks::metrics::Registry metrics;
  options.metrics = &metrics;
  ks::https::Server server(options);
  const ks::admission::AdmissionHandler allow = [](const ks::admission::AdmissionRequest&) {
    return ks::admission::AdmissionDecision::Allow();
  };
  // The bench's objects all have annotations, as ours do when admission has seen them.
  const ks::admission::AdmissionHandler annotate = [](const ks::admission::AdmissionRequest&) {
    return ks::admission::AdmissionDecision::AllowWithPatch(
        R"([{"op":"add","path":"/metadata/annotations/bench","value":"mutated"}])");
  };
  auto route = [&server](const char* path, const ks::admission::AdmissionHandler& handler) {
    server.Route(
        "POST", path,
        [&handler](const ks::https::HttpRequest& request) { return ks::admission::ServeAdmission(request, handler); },
        ks::https::Server::Access::kCallers, ks::https::Server::Runs::kInline);
  };
  route("/mutate/secrets", mutate ? annotate : allow);
  route("/validate/secrets", allow);
  ks::https::AddStandardRoutes(server, [] { return true; }, metrics);
  if (ks::Status started = server.Start(); !started.ok()) {
    spdlog::error("cannot serve: {}", started.ToString());
    return 1;
  }
  signals.Wait();
  server.Stop();
  return 0;
}
