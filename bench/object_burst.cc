// The load generator of bench/operator_scale.sh: creates many objects through the Kubernetes
// client with a bounded number of threads, so that the API server and its webhooks, not the
// client, are the limit. Prints one line, "created N failed F seconds S per_second R"; values are
// random and never printed.
//
//   object_burst secrets PREFIX PROJECTS PER_PROJECT [THREADS]
//     Secret custom resources in namespaces PREFIX-0 .. PREFIX-(PROJECTS-1), PER_PROJECT each,
//     named s-0 .., project after project, each with kubectl's last-applied annotation; the
//     names of kCommonNames are in every project, the rest unique.
//   object_burst sealed PREFIX PROJECTS PER_PROJECT [THREADS]
//     the same Secret CRs as admission stores them: spec.encrypted (random bytes the size of a
//     sealed value, which nothing opens) instead of spec.value, the creator and the finalizer
//     recorded: the baseline of the webhooks' cost, which stores what they would have stored and
//     passes the CRD's own rules.
//   object_burst native PREFIX PROJECTS NAME [THREADS]
//     one native Secret NAME with one random value in each of those namespaces (the baseline of
//     a share's fan-out: the writes it needs, without the operator).
// The kubeconfig comes from KUBECONFIG.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/api/constants.h"
#include "core/api/resources.h"
#include "core/common/encoding.h"
#include "core/kube/client.h"
#include "core/kube/config.h"

namespace ks::bench {
namespace {

using nlohmann::json;

// Names a notebook user has in every project: each change to one of them used to reach every
// secret of that name in every namespace.
const std::vector<std::string> kCommonNames = {"OPENAI-API-KEY", "HF-TOKEN", "DATABASE-URL", "AWS-SECRET-ACCESS-KEY"};
constexpr int kDefaultThreads = 16;
constexpr int kReportedFailures = 3;

constexpr std::size_t kValueBytes = 24;
constexpr std::size_t kValueLength = 4 * ((kValueBytes + 2) / 3);  // as base64

std::string RandomBase64(std::size_t bytes) {
  thread_local std::mt19937_64 random(std::random_device{}());
  std::string raw(bytes, '\0');
  for (char& c : raw) c = static_cast<char>(random());
  return Base64Encode(raw);
}

std::string RandomValue() { return RandomBase64(kValueBytes); }

// Shaped as admission seals a value (docs/crypto.md): a wrapped data key of 60 bytes, a 12-byte
// nonce, the ciphertext of the base64 value with its 16-byte tag.
json SealedLike() {
  return {{"keyId", "bench"},
          {"wrappedKey", RandomBase64(60)},
          {"nonce", RandomBase64(12)},
          {"ciphertext", RandomBase64(kValueLength + 16)},
          {"sealedAt", "2026-12-02T00:00:00Z"}};
}

std::string SpecName(int index) {
  if (index < static_cast<int>(kCommonNames.size())) return kCommonNames[index];
  return "BENCH-VAR-" + std::to_string(index);
}

json SecretManifest(const std::string& ns, int index) {
  return {{"apiVersion", "kernelsecrets.dev/v1alpha1"},
          {"kind", "Secret"},
          {"metadata", {{"name", "s-" + std::to_string(index)}, {"namespace", ns}}},
          {"spec", {{"name", SpecName(index)}}}};
}

void AddLastApplied(json& object) {
  object["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] = object.dump();
}

// As `kubectl apply` sends it: with the manifest in the last-applied annotation too.
json SecretCr(const std::string& ns, int index) {
  json manifest = SecretManifest(ns, index);
  manifest["spec"]["value"] = RandomValue();
  AddLastApplied(manifest);
  return manifest;
}

// As admission turns SecretCr into what is stored: the annotation holds the manifest without its value.
json SealedSecretCr(const std::string& ns, int index) {
  json stored = SecretManifest(ns, index);
  AddLastApplied(stored);
  stored["spec"]["encrypted"] = SealedLike();
  stored["metadata"]["annotations"][std::string(api::kCreatedByAnnotation)] = "kubernetes-admin";
  stored["metadata"]["finalizers"] = {std::string(api::kFinalizer)};
  return stored;
}

json NativeSecret(const std::string& ns, const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"type", "Opaque"},
          {"stringData", {{"VALUE", RandomValue()}}}};
}

struct Job {
  const kube::Resource* resource;
  json object;
};

// Creates every job's object, `threads` at a time; a refused create is counted, not retried.
int Run(kube::Client& client, const std::vector<Job>& jobs, int threads) {
  std::atomic<std::size_t> next{0};
  std::atomic<int> failed{0};
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < jobs.size(); i = next++) {
        const Job& job = jobs[i];
        const std::string ns = job.object["metadata"]["namespace"];
        if (Status created = client.Create(*job.resource, ns, job.object).status(); !created.ok()) {
          // The first refusals say why (the API server's message names objects, never values).
          if (failed++ < kReportedFailures) std::fprintf(stderr, "object_burst: %s\n", created.ToString().c_str());
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::size_t created = jobs.size() - failed;
  std::printf("created %zu failed %d seconds %.2f per_second %.1f\n", created, failed.load(), seconds,
              created / seconds);
  return failed == 0 ? 0 : 1;
}

int Usage() {
  std::fprintf(stderr,
               "usage: object_burst secrets|sealed PREFIX PROJECTS PER_PROJECT [THREADS]\n"
               "       object_burst native PREFIX PROJECTS NAME [THREADS]\n");
  return 2;
}

int Main(int argc, char** argv) {
  if (argc < 5 || argc > 6) return Usage();
  const std::string mode = argv[1];
  const std::string prefix = argv[2];
  const int projects = std::stoi(argv[3]);
  const int threads = argc == 6 ? std::stoi(argv[5]) : kDefaultThreads;

  std::vector<Job> jobs;
  if (mode == "secrets" || mode == "sealed") {
    const auto make = mode == "secrets" ? SecretCr : SealedSecretCr;
    const int per_project = std::stoi(argv[4]);
    // Project after project, as users applying a folder of manifests each do; the threads work
    // on the next project's secrets as soon as the last of one project's are taken.
    for (int p = 0; p < projects; ++p) {
      for (int i = 0; i < per_project; ++i) {
        jobs.push_back({&api::resources::kSecrets, make(prefix + "-" + std::to_string(p), i)});
      }
    }
  } else if (mode == "native") {
    for (int p = 0; p < projects; ++p) {
      jobs.push_back({&kube::resources::kSecrets, NativeSecret(prefix + "-" + std::to_string(p), argv[4])});
    }
  } else {
    return Usage();
  }

  StatusOr<kube::ClientConfig> config = kube::LoadDefaultConfig();
  if (!config.ok()) {
    std::fprintf(stderr, "object_burst: %s\n", config.status().ToString().c_str());
    return 1;
  }
  kube::Client client(*config);
  return Run(client, jobs, threads);
}

}  // namespace
}  // namespace ks::bench

int main(int argc, char** argv) { return ks::bench::Main(argc, argv); }
