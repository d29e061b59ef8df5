// The operator's pure work when one shared secret changes in a community of N projects (50, 200,
// 1000): find the projects it reaches, and for each compute its visible set (op::VisibleTo), its
// desired native Secret (op::DesiredNativeSecret) and compare that with the stored one
// (op::NativeSecretUpToDate). Left out: decryption (envelope_bench measures Open; here each visible
// secret's plaintext and fingerprint are looked up) and the writes to the API server. The baseline
// is the irreducible work: a copy of each project's expected map of name -> value.
// The community: every project owns 4 secrets, and 8 of them share one more each into the
// community, so a project sees 12 or 13 secrets of 32 bytes.
// Reported: cost per project, its ratio to the baseline, and how the per-project cost grows from
// 50 to 1000 projects (1x means the fan-out as a whole grows linearly with N).

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/timings.h"
#include "core/crypto/envelope.h"
#include "operator/native_secret.h"
#include "operator/visibility.h"

namespace ks::bench {
namespace {

using nlohmann::json;

constexpr std::int64_t kCommunitySizes[] = {50, 200, 1000};
constexpr int kOwnSecretsPerProject = 4;
// The first kSharingProjects projects each share one more secret of theirs into the community.
constexpr int kSharingProjects = 8;
constexpr std::size_t kValueSize = 32;
const std::string kCommunity = "bench-community";
const std::string kCreatedAt = "2026-01-01T00:00:00Z";

void CommunitySizes(benchmark::internal::Benchmark* benchmark) {
  for (std::int64_t projects : kCommunitySizes) benchmark->Arg(projects);
}

// The ClusterView the operator's caches provide, held in containers indexed as the informers are
// (namespaces by name, secrets by namespace), so that a lookup costs about what it costs the
// operator. tests/unit/fake_cluster.h scans every secret on each lookup, which would make this
// benchmark measure the fake rather than the fan-out.
class IndexedCluster : public op::ClusterView {
 public:
  void AddProject(api::ProjectView project) { projects_[project.ns] = std::move(project); }
  void AddSecret(api::SecretView secret) { secrets_by_ns_[secret.key.ns].push_back(std::move(secret)); }
  void AddShare(api::ShareView share) { shares_.push_back(std::move(share)); }

  std::optional<api::ProjectView> Project(const std::string& ns) const override {
    auto it = projects_.find(ns);
    return it == projects_.end() ? std::nullopt : std::optional(it->second);
  }
  std::vector<api::SecretView> SecretsIn(const std::string& ns) const override {
    auto it = secrets_by_ns_.find(ns);
    return it == secrets_by_ns_.end() ? std::vector<api::SecretView>() : it->second;
  }
  std::optional<api::SecretView> FindSecret(const api::ObjectKey& key) const override {
    auto it = secrets_by_ns_.find(key.ns);
    if (it == secrets_by_ns_.end()) return std::nullopt;
    for (const api::SecretView& secret : it->second) {
      if (secret.key == key) return secret;
    }
    return std::nullopt;
  }
  // Shares are few (one per shared secret), so these scan them all, as the operator's cache does.
  std::vector<api::ShareView> SharesInto(const std::string& community) const override {
    std::vector<api::ShareView> out;
    for (const api::ShareView& share : shares_) {
      if (share.community == community) out.push_back(share);
    }
    return out;
  }
  std::vector<api::ShareView> SharesOf(const api::ObjectKey& secret) const override {
    std::vector<api::ShareView> out;
    for (const api::ShareView& share : shares_) {
      if (share.SharedSecret() == secret) out.push_back(share);
    }
    return out;
  }
  std::vector<api::ProjectView> ProjectsIn(const std::string& community) const override {
    std::vector<api::ProjectView> out;
    for (const auto& [ns, project] : projects_) {
      if (project.community == community) out.push_back(project);
    }
    return out;
  }

 private:
  std::map<std::string, api::ProjectView> projects_;
  std::map<std::string, std::vector<api::SecretView>> secrets_by_ns_;
  std::vector<api::ShareView> shares_;
};

// What decrypting a secret gives the reconciler.
struct Decrypted {
  std::string plaintext;
  std::string fingerprint;
};
using DecryptedSecrets = std::map<api::ObjectKey, Decrypted>;

// A value sealed as admission would store it, with bytes derived from `seed` (never opened here:
// only its size and its fingerprint matter).
crypto::SealedValue SealedLike(const std::string& seed) {
  auto bytes = [&](std::size_t size) { return (seed + std::string(size, '.')).substr(0, size); };
  return {"bench", bytes(60), bytes(12), bytes(kValueSize + 16), kCreatedAt};
}

// The native Secret entries of `project`: its visible secrets with their decrypted content.
std::vector<op::NativeSecretEntry> EntriesFor(const api::ProjectView& project, const op::ClusterView& cluster,
                                              const DecryptedSecrets& decrypted) {
  std::vector<op::NativeSecretEntry> entries;
  for (const op::Candidate& candidate : op::VisibleTo(project, cluster).visible) {
    const Decrypted& content = decrypted.at(candidate.secret.key);
    entries.push_back({candidate.secret.spec_name, content.plaintext, content.fingerprint});
  }
  return entries;
}

// A community of N projects as the operator's caches hold it just after the secret `changed`
// (shared by the first project) got a new value: the stored native Secrets still hold the old one.
struct Community {
  IndexedCluster cluster;
  DecryptedSecrets decrypted;
  api::ObjectKey changed;
  std::map<std::string, json> stored_native_secrets;
  std::vector<std::map<std::string, std::string>> expected_values;  // per project, name -> value

  explicit Community(int projects);
};

std::string ProjectName(int i) {
  char name[sizeof "project-0000" + 8];
  std::snprintf(name, sizeof name, "project-%04d", i);
  return name;
}

Community::Community(int projects) {
  auto add_secret = [&](const std::string& ns, const std::string& spec_name) {
    api::SecretView secret;
    secret.key = {ns, spec_name};
    secret.spec_name = spec_name;
    secret.created_at = kCreatedAt;
    const crypto::SealedValue sealed = SealedLike(ns + "/" + spec_name);
    secret.encrypted = crypto::ToJson(sealed);
    decrypted[secret.key] = {std::string(kValueSize, 'v'), crypto::ContentFingerprint(sealed)};
    cluster.AddSecret(std::move(secret));
  };
  for (int i = 0; i < projects; ++i) {
    const std::string ns = ProjectName(i);
    cluster.AddProject({ns, kCommunity});
    for (int s = 0; s < kOwnSecretsPerProject; ++s) add_secret(ns, "own-" + std::to_string(s));
    if (i < kSharingProjects) {
      const std::string shared = "team-" + std::to_string(i);
      add_secret(ns, shared);
      api::ShareView share;
      share.key = {ns, "share-" + shared};
      share.secret_name = shared;
      share.community = kCommunity;
      share.created_at = kCreatedAt;
      cluster.AddShare(std::move(share));
    }
  }
  changed = {ProjectName(0), "team-0"};

  // Before the change: what the stored native Secrets were written from.
  DecryptedSecrets before = decrypted;
  before[changed] = {std::string(kValueSize, 'o'), crypto::ContentFingerprint(SealedLike("before the change"))};
  for (const api::ProjectView& project : cluster.ProjectsIn(kCommunity)) {
    stored_native_secrets[project.ns] = op::DesiredNativeSecret(project.ns, EntriesFor(project, cluster, before));
    std::map<std::string, std::string>& expected = expected_values.emplace_back();
    for (const op::NativeSecretEntry& entry : EntriesFor(project, cluster, decrypted)) {
      expected[entry.name] = entry.plaintext;
    }
  }
}

// Built once per size: the benchmark functions run several times while their iteration count is
// calibrated.
const Community& CommunityOf(int projects) {
  static std::map<int, std::unique_ptr<Community>> communities;
  std::unique_ptr<Community>& community = communities[projects];
  if (!community) community = std::make_unique<Community>(projects);
  return *community;
}

// Returns how many projects were found out of date, which after the change must be all of them.
std::size_t FanOut(const Community& community) {
  std::size_t out_of_date = 0;
  for (const std::string& ns : op::ProjectsReachedBy(community.changed, community.cluster)) {
    const std::optional<api::ProjectView> project = community.cluster.Project(ns);
    const json desired = op::DesiredNativeSecret(ns, EntriesFor(*project, community.cluster, community.decrypted));
    if (!op::NativeSecretUpToDate(community.stored_native_secrets.at(ns), desired)) ++out_of_date;
  }
  return out_of_date;
}

void BM_FanOut(benchmark::State& state) {
  const Community& community = CommunityOf(static_cast<int>(state.range(0)));
  // Otherwise the benchmark would time something other than a change reaching every project.
  if (FanOut(community) != static_cast<std::size_t>(state.range(0))) {
    return state.SkipWithError("the change does not reach every project as out of date");
  }
  for (auto _ : state) benchmark::DoNotOptimize(FanOut(community));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_FanOut)->Apply(CommunitySizes);

void BM_CopyExpectedValues(benchmark::State& state) {
  const Community& community = CommunityOf(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    for (const std::map<std::string, std::string>& expected : community.expected_values) {
      std::map<std::string, std::string> copy = expected;
      benchmark::DoNotOptimize(copy);
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CopyExpectedValues)->Apply(CommunitySizes);

void PrintRatios(const Timings& timings) {
  auto per_project = [&](const char* function, std::int64_t projects) -> std::optional<double> {
    std::optional<double> nanos = timings.Nanos(function, projects);
    return nanos ? std::optional(*nanos / projects) : std::nullopt;
  };
  std::vector<std::vector<std::string>> rows;
  for (std::int64_t projects : kCommunitySizes) {
    const std::optional<double> fan_out = per_project("BM_FanOut", projects);
    const std::optional<double> baseline = per_project("BM_CopyExpectedValues", projects);
    rows.push_back({std::to_string(projects), Duration(baseline), Duration(fan_out), Ratio(fan_out, baseline)});
  }
  PrintTable("Fan-out of one shared secret change against copying each project's values (CPU time per project)",
             {"projects", "baseline", "fan-out", "fan-out/baseline"}, rows);
  // The baseline's own growth is what the memory hierarchy adds as the community outgrows the caches.
  const std::int64_t smallest = kCommunitySizes[0];
  const std::int64_t largest = kCommunitySizes[std::size(kCommunitySizes) - 1];
  auto growth = [&](const char* function) {
    return Ratio(per_project(function, largest), per_project(function, smallest));
  };
  std::cout << "growth of the per-project cost from " << smallest << " to " << largest
            << " projects (1.00x: the total is linear in N; " << Ratio(largest, smallest) << ": quadratic): fan-out "
            << growth("BM_FanOut") << ", baseline " << growth("BM_CopyExpectedValues") << "\n";
}

}  // namespace
}  // namespace ks::bench

int main(int argc, char** argv) { return ks::bench::RunBenchmarksThenPrintRatios(argc, argv, ks::bench::PrintRatios); }
