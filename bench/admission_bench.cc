// The injector's work per review, in process, against nlohmann's plain parse of the same review:
// ServeAdmission with the injector's handler on the 3.2 KB kernel-pod AdmissionReview of
// bench/injector_load.sh, the pod parsed whole and projected to the fields the handler reads
// (injector::PodFieldsRead). What bench/injector_load.sh measures over TLS, minus the server.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "bench/timings.h"
#include "core/admission/review.h"
#include "injector/pod_injection.h"

namespace ks::bench {
namespace {

using nlohmann::json;

// The fixture compact, as an API server sends it.
const std::string& ReviewBody() {
  static const std::string body = [] {
    std::ifstream file(KS_KERNEL_POD_REVIEW);
    std::stringstream text;
    text << file.rdbuf();
    return json::parse(text.str()).dump();
  }();
  return body;
}

https::HttpRequest ReviewRequest() {
  return {.method = "POST", .path = "/mutate/pods", .headers = {{"content-type", "application/json"}},
          .body = ReviewBody()};
}

// The baseline: the least a webhook built on nlohmann does with a review, parse it whole.
void BM_PlainParse(benchmark::State& state) {
  const std::string& body = ReviewBody();
  for (auto _ : state) benchmark::DoNotOptimize(json::parse(body));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_PlainParse)->Arg(0);

// Arg 0: the pod parsed whole; 1: projected to the fields the handler reads.
void BM_InjectorReview(benchmark::State& state) {
  const injector::InjectionTargets targets{.kernels = *kube::LabelSelector::Parse("kernelsecrets.dev/inject=true"),
                                           .notebook_servers = std::nullopt};
  const injector::ProjectSecretsLookup lookup = [](const std::string&) {
    return std::optional<injector::ProjectSecretsSummary>({.revision = "bench1", .names = "API_TOKEN,DB_PASSWORD"});
  };
  const admission::AdmissionHandler inject = [&](const admission::AdmissionRequest& request) {
    return injector::InjectKernelSecrets(request, targets, lookup);
  };
  const JsonProjection review_fields =
      state.range(0) == 1 ? admission::ReviewKeeping(injector::PodFieldsRead()) : JsonProjection::Whole();
  const https::HttpRequest request = ReviewRequest();
  if (admission::ServeAdmission(request, inject, review_fields).body.find("\"patch\"") == std::string::npos) {
    return state.SkipWithError("the injector answered the review without a patch");
  }
  for (auto _ : state) benchmark::DoNotOptimize(admission::ServeAdmission(request, inject, review_fields));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(request.body.size()));
}
BENCHMARK(BM_InjectorReview)->Arg(0)->Arg(1);

void PrintRatios(const Timings& timings) {
  const std::optional<double> plain = timings.Nanos("BM_PlainParse", 0);
  const std::optional<double> whole = timings.Nanos("BM_InjectorReview", 0);
  const std::optional<double> projected = timings.Nanos("BM_InjectorReview", 1);
  PrintTable("The injector's review against a plain parse of it (CPU time per review)",
             {"plain parse", "review, pod whole", "whole/plain", "review, pod projected", "projected/plain"},
             {{Duration(plain), Duration(whole), Ratio(whole, plain), Duration(projected), Ratio(projected, plain)}});
}

}  // namespace
}  // namespace ks::bench

int main(int argc, char** argv) { return ks::bench::RunBenchmarksThenPrintRatios(argc, argv, ks::bench::PrintRatios); }
