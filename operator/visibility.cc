#include "operator/visibility.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/api/secret_name.h"

namespace ks::op {
namespace {

bool Usable(const api::SecretView& secret) {
  return !secret.deleting && !secret.encrypted.empty() && !api::WhyNameChangesStartup(secret.spec_name);
}

// Lower ranks win. Own secrets rank before shared ones; then by age of the thing that made the
// secret visible; the key breaks ties so the outcome never depends on iteration order.
auto Rank(const Candidate& c) {
  const bool shared = c.share.has_value();
  const std::string& since = shared ? c.share->created_at : c.secret.created_at;
  return std::tuple(shared, since, c.secret.key);
}

}  // namespace

bool ShareIsBoundTo(const api::ShareView& share, const api::SecretView& secret) {
  if (!share.bound_secret_uid.empty()) return share.bound_secret_uid == secret.uid;
  return secret.created_at <= share.created_at;
}

std::vector<Candidate> GatherCandidates(const api::ProjectView& project, const ClusterView& cluster) {
  std::vector<Candidate> candidates;
  for (api::SecretView& secret : cluster.SecretsIn(project.ns)) {
    if (Usable(secret)) candidates.push_back({std::move(secret), std::nullopt});
  }
  if (!project.community) return candidates;

  std::set<api::ObjectKey> already_in;  // one secret shared twice into the community counts once
  std::vector<api::ShareView> shares = cluster.SharesInto(*project.community);
  std::sort(shares.begin(), shares.end(),
            [](const auto& a, const auto& b) { return std::tie(a.created_at, a.key) < std::tie(b.created_at, b.key); });
  for (api::ShareView& share : shares) {
    if (share.deleting || share.key.ns == project.ns || !cluster.Project(share.key.ns)) continue;
    std::optional<api::SecretView> secret = cluster.FindSecret(share.SharedSecret());
    if (!secret || !Usable(*secret) || !ShareIsBoundTo(share, *secret)) continue;
    if (!already_in.insert(secret->key).second) continue;
    candidates.push_back({std::move(*secret), std::move(share)});
  }
  return candidates;
}

Visibility ResolveVisibility(const std::string& project, std::vector<Candidate> candidates) {
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return Rank(a) < Rank(b); });
  std::map<std::string, Candidate> winners;  // by name, so `visible` comes out sorted
  Visibility result;
  for (Candidate& candidate : candidates) {
    auto [it, inserted] = winners.try_emplace(candidate.secret.spec_name, candidate);
    if (!inserted) result.shadowed.push_back({project, candidate.secret.key, it->second.secret.key});
  }
  for (auto& [name, winner] : winners) result.visible.push_back(std::move(winner));
  return result;
}

Visibility VisibleTo(const api::ProjectView& project, const ClusterView& cluster) {
  return ResolveVisibility(project.ns, GatherCandidates(project, cluster));
}

std::vector<std::string> ProjectsReachedBy(const api::ObjectKey& secret, const ClusterView& cluster) {
  std::set<std::string> projects;
  if (cluster.Project(secret.ns)) projects.insert(secret.ns);
  for (const api::ShareView& share : cluster.SharesOf(secret)) {
    for (const api::ProjectView& project : cluster.ProjectsIn(share.community)) projects.insert(project.ns);
  }
  return {projects.begin(), projects.end()};
}

std::vector<api::ObjectKey> Rivals(const std::string& ns, const std::string& spec_name, const ClusterView& cluster) {
  std::set<api::ObjectKey> rivals;
  std::set<std::string> communities;
  if (std::optional<api::ProjectView> project = cluster.Project(ns); project && project->community) {
    communities.insert(*project->community);
  }
  for (const api::SecretView& secret : cluster.SecretsIn(ns)) {
    if (secret.spec_name == spec_name) rivals.insert(secret.key);
    // Every share of the namespace, not only those of secrets still named so: a renamed secret
    // leaves rivals behind in the communities it was shared into.
    for (const api::ShareView& share : cluster.SharesOf(secret.key)) communities.insert(share.community);
  }
  for (const std::string& community : communities) {
    for (const api::ShareView& share : cluster.SharesInto(community)) {
      std::optional<api::SecretView> secret = cluster.FindSecret(share.SharedSecret());
      if (secret && secret->spec_name == spec_name) rivals.insert(secret->key);
    }
  }
  return {rivals.begin(), rivals.end()};
}

bool IsSame(const Candidate& candidate, const api::ObjectKey& secret) { return candidate.secret.key == secret; }

}  // namespace ks::op
