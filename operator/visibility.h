// What a project sees: its own secrets plus those shared into its community from other projects.
// Pure functions over a read-only view of the cluster, so every precedence rule is unit-tested:
//   - a project's own secret wins a name clash over any shared one;
//   - between shared secrets, the one whose share is older wins (then the lower namespace/name);
//   - between two own secrets with one name (the webhook refuses that, but a bypass could not),
//     the older wins.
// Two rules against hostile input: a secret whose name changes how programs start
// (api::WhyNameChangesStartup) reaches no kernel, and a share shares only the secret it was made
// for (ShareIsBoundTo), never another one created later under the same name.
// Losers are reported so that their Secret gets condition Shadowed and an Event.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/api/resources.h"
#include "operator/cluster_view.h"

namespace ks::op {

// A secret a project can see, and the share that brought it in (none for its own secrets).
struct Candidate {
  api::SecretView secret;
  std::optional<api::ShareView> share;
};

// A secret hidden in `project` by another secret with the same name.
struct Shadowing {
  std::string project;
  api::ObjectKey hidden;
  api::ObjectKey winner;
};

struct Visibility {
  std::vector<Candidate> visible;  // one per name, sorted by name
  std::vector<Shadowing> shadowed;
};

// True when `share` shares `secret`, the secret its spec names: the one whose uid the share
// recorded, or, before the share's first reconcile records one, a secret no younger than the share
// (a share is admitted only for an existing secret, so a younger one replaced it). Also decides
// what that first reconcile records.
bool ShareIsBoundTo(const api::ShareView& share, const api::SecretView& secret);

// Every secret that `project` could see before name clashes are settled. Secrets being deleted,
// secrets without content, secrets named like a start-up variable, shares being deleted, shares
// from non-projects and shares of a secret they were not made for are left out.
std::vector<Candidate> GatherCandidates(const api::ProjectView& project, const ClusterView& cluster);

// Settles name clashes among the candidates of one project.
Visibility ResolveVisibility(const std::string& project, std::vector<Candidate> candidates);

// GatherCandidates then ResolveVisibility.
Visibility VisibleTo(const api::ProjectView& project, const ClusterView& cluster);

// The projects that may see `secret`: its own project and every project of each community it is
// shared into. Used to know which native Secrets a change to the secret touches.
std::vector<std::string> ProjectsReachedBy(const api::ObjectKey& secret, const ClusterView& cluster);

// The secrets named `spec_name` that a secret of that name in `ns` can hide or be hidden by, itself
// among them when it is in the cache: those of `ns`; those shared into the community of `ns`; and
// those shared into each community a share in `ns` shares into. Only there do two secrets meet in
// one project, so only their Shadowed status can change when such a secret comes, goes or changes.
std::vector<api::ObjectKey> Rivals(const std::string& ns, const std::string& spec_name, const ClusterView& cluster);

// True when `candidate` is `secret` itself (it won its name in that project).
bool IsSame(const Candidate& candidate, const api::ObjectKey& secret);

}  // namespace ks::op
