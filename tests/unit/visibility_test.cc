#include "operator/visibility.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/fake_cluster.h"

namespace ks::op {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// "ns/name" of each visible secret, in order.
std::vector<std::string> VisibleKeys(const Visibility& v) {
  std::vector<std::string> keys;
  for (const auto& c : v.visible) keys.push_back(c.secret.key.ToString());
  return keys;
}

Visibility VisibleIn(const FakeCluster& cluster, const std::string& ns) {
  return VisibleTo(*cluster.Project(ns), cluster);
}

TEST(Visibility, ProjectSeesItsOwnSecretsSortedByName) {
  FakeCluster cluster;
  cluster.AddProject("a", std::nullopt)
      .AddSecret("a", "s2", "ZETA", "2026-01-01T00:00:00Z")
      .AddSecret("a", "s1", "ALPHA", "2026-01-02T00:00:00Z");
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "a")), ElementsAre("a/s1", "a/s2"));
}

TEST(Visibility, SecretSharedIntoCommunityIsSeenByItsOtherProjects) {
  FakeCluster cluster;
  cluster.AddProject("a", "c")
      .AddProject("b", "c")
      .AddProject("x", "other")
      .AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z")
      .AddShare("a", "token", "c", "2026-01-02T00:00:00Z");
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "b")), ElementsAre("a/token"));
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "x")), IsEmpty());
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "a")), ElementsAre("a/token"));
}

TEST(Visibility, UnsharedSecretStaysInItsProject) {
  FakeCluster cluster;
  cluster.AddProject("a", "c").AddProject("b", "c").AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z");
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "b")), IsEmpty());
}

TEST(Visibility, ProjectWithoutCommunitySeesNothingShared) {
  FakeCluster cluster;
  cluster.AddProject("a", "c")
      .AddProject("b", std::nullopt)
      .AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z")
      .AddShare("a", "token", "c", "2026-01-02T00:00:00Z");
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "b")), IsEmpty());
}

TEST(Visibility, OwnSecretWinsOverShared) {
  FakeCluster cluster;
  cluster.AddProject("a", "c")
      .AddProject("b", "c")
      .AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z")
      .AddShare("a", "token", "c", "2026-01-02T00:00:00Z")
      .AddSecret("b", "mine", "TOKEN", "2026-03-01T00:00:00Z");
  Visibility v = VisibleIn(cluster, "b");
  EXPECT_THAT(VisibleKeys(v), ElementsAre("b/mine"));
  ASSERT_EQ(v.shadowed.size(), 1u);
  EXPECT_EQ(v.shadowed[0].project, "b");
  EXPECT_EQ(v.shadowed[0].hidden.ToString(), "a/token");
  EXPECT_EQ(v.shadowed[0].winner.ToString(), "b/mine");
}

TEST(Visibility, OlderShareWinsBetweenSharedSecrets) {
  FakeCluster cluster;
  cluster.AddProject("a", "c")
      .AddProject("b", "c")
      .AddProject("p", "c")
      // a's secret is older, but b's share is older: the share's age decides.
      .AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z")
      .AddSecret("b", "token", "TOKEN", "2026-01-05T00:00:00Z")
      .AddShare("a", "token", "c", "2026-02-02T00:00:00Z")
      .AddShare("b", "token", "c", "2026-02-01T00:00:00Z");
  Visibility v = VisibleIn(cluster, "p");
  EXPECT_THAT(VisibleKeys(v), ElementsAre("b/token"));
  ASSERT_EQ(v.shadowed.size(), 1u);
  EXPECT_EQ(v.shadowed[0].hidden.ToString(), "a/token");
}

TEST(Visibility, SecretBeingDeletedIsNotVisible) {
  FakeCluster cluster;
  cluster.AddProject("a", "c")
      .AddProject("b", "c")
      .AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z")
      .AddShare("a", "token", "c", "2026-01-02T00:00:00Z");
  cluster.Secret("a", "token").deleting = true;
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "a")), IsEmpty());
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "b")), IsEmpty());
}

TEST(Visibility, ShareBeingDeletedNoLongerShares) {
  FakeCluster cluster;
  cluster.AddProject("a", "c")
      .AddProject("b", "c")
      .AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z")
      .AddShare("a", "token", "c", "2026-01-02T00:00:00Z");
  cluster.LastShare().deleting = true;
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "b")), IsEmpty());
}

TEST(Visibility, SecretWithoutContentIsNotVisible) {
  FakeCluster cluster;
  cluster.AddProject("a", std::nullopt).AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z");
  cluster.Secret("a", "token").encrypted.clear();
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "a")), IsEmpty());
}

// A community whose project "a" shares its secret TOKEN into it, as stored: the share bound to the
// secret's uid by its first reconcile.
FakeCluster SharedToken() {
  FakeCluster cluster;
  cluster.AddProject("a", "c")
      .AddProject("b", "c")
      .AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z")
      .AddShare("a", "token", "c", "2026-01-02T00:00:00Z");
  cluster.Secret("a", "token").uid = "uid-1";
  cluster.LastShare().bound_secret_uid = "uid-1";
  return cluster;
}

TEST(Visibility, ShareBoundToItsSecretShares) {
  EXPECT_THAT(VisibleKeys(VisibleIn(SharedToken(), "b")), ElementsAre("a/token"));
}

TEST(Visibility, SecretCreatedAgainUnderASharedNameIsNotShared) {
  FakeCluster cluster = SharedToken();
  cluster.Secret("a", "token").uid = "uid-2";  // deleted (its finalizer bypassed) and created again
  cluster.Secret("a", "token").created_at = "2026-01-03T00:00:00Z";
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "b")), IsEmpty());
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "a")), ElementsAre("a/token")) << "its own project still sees it";
}

TEST(Visibility, ShareNotYetBoundSharesOnlyASecretNoYoungerThanItself) {
  FakeCluster cluster = SharedToken();
  cluster.LastShare().bound_secret_uid.clear();
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "b")), ElementsAre("a/token"));
  cluster.Secret("a", "token").created_at = "2026-01-03T00:00:00Z";
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "b")), IsEmpty());
}

TEST(Visibility, SecretNamedLikeAStartupVariableReachesNoKernel) {
  FakeCluster cluster = SharedToken();
  cluster.Secret("a", "token").spec_name = "PYTHONPATH";  // stored before the rule, or past the webhooks
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "b")), IsEmpty());
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "a")), IsEmpty());
}

TEST(Visibility, ShareFromNamespaceThatIsNotAProjectIsIgnored) {
  FakeCluster cluster;
  cluster.AddProject("b", "c")
      .AddSecret("plain", "token", "TOKEN", "2026-01-01T00:00:00Z")
      .AddShare("plain", "token", "c", "2026-01-02T00:00:00Z");
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "b")), IsEmpty());
}

TEST(Visibility, ShareOfMissingSecretIsIgnored) {
  FakeCluster cluster;
  cluster.AddProject("a", "c").AddProject("b", "c").AddShare("a", "gone", "c", "2026-01-02T00:00:00Z");
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "b")), IsEmpty());
}

TEST(Visibility, SecretSharedTwiceIntoOneCommunityIsSeenOnceWithoutShadowingItself) {
  FakeCluster cluster;
  cluster.AddProject("a", "c")
      .AddProject("b", "c")
      .AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z")
      .AddShare("a", "token", "c", "2026-01-02T00:00:00Z")
      .AddShare("a", "token", "c", "2026-01-03T00:00:00Z");
  Visibility v = VisibleIn(cluster, "b");
  EXPECT_THAT(VisibleKeys(v), ElementsAre("a/token"));
  EXPECT_THAT(v.shadowed, IsEmpty());
}

TEST(Visibility, OlderOwnSecretWinsWhenTwoShareAName) {
  FakeCluster cluster;
  cluster.AddProject("a", std::nullopt)
      .AddSecret("a", "newer", "TOKEN", "2026-01-02T00:00:00Z")
      .AddSecret("a", "older", "TOKEN", "2026-01-01T00:00:00Z");
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "a")), ElementsAre("a/older"));
}

TEST(Visibility, ProjectsReachedBySecretAreItsOwnAndItsCommunities) {
  FakeCluster cluster;
  cluster.AddProject("a", "c")
      .AddProject("b", "c")
      .AddProject("d", "d-only")
      .AddProject("e", "c2")
      .AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z")
      .AddShare("a", "token", "c", "2026-01-02T00:00:00Z")
      .AddShare("a", "token", "c2", "2026-01-02T00:00:00Z");
  EXPECT_THAT(ProjectsReachedBy({"a", "token"}, cluster), ElementsAre("a", "b", "e"));
}

std::vector<std::string> RivalKeys(const std::string& ns, const std::string& spec_name, const FakeCluster& cluster) {
  std::vector<std::string> keys;
  for (const api::ObjectKey& key : Rivals(ns, spec_name, cluster)) keys.push_back(key.ToString());
  return keys;
}

// Communities c (a, b), c2 (d) and other (x); r is in none. a shares its TOKEN into c2 as well;
// r's secret was renamed from OLD to NEW and is shared into c2.
FakeCluster RivalsCluster() {
  FakeCluster cluster;
  cluster.AddProject("a", "c").AddProject("b", "c").AddProject("d", "c2").AddProject("x", "other");
  cluster.AddProject("r", std::nullopt);
  const std::string t = "2026-01-01T00:00:00Z";
  cluster.AddSecret("a", "mine", "TOKEN", t).AddShare("a", "mine", "c2", t).AddSecret("a", "unrelated", "OTHER", t);
  cluster.AddSecret("b", "own-of-b", "TOKEN", t).AddSecret("b", "shared-by-b", "TOKEN", t);
  cluster.AddShare("b", "shared-by-b", "c", t);
  cluster.AddSecret("d", "own-of-d", "TOKEN", t).AddSecret("d", "shared-by-d", "TOKEN", t);
  cluster.AddShare("d", "shared-by-d", "c2", t).AddSecret("d", "old-name", "OLD", t).AddShare("d", "old-name", "c2", t);
  cluster.AddSecret("x", "elsewhere", "TOKEN", t);
  cluster.AddSecret("r", "renamed", "NEW", t).AddShare("r", "renamed", "c2", t);
  return cluster;
}

TEST(Visibility, RivalsOfAnUnsharedSecretAreItsProjectsAndThoseSharedIntoItsCommunity) {
  EXPECT_THAT(RivalKeys("b", "TOKEN", RivalsCluster()), ElementsAre("b/own-of-b", "b/shared-by-b"))
      << "a's secret is shared into c2 only; x's is in another community";
}

TEST(Visibility, RivalsOfASharedSecretIncludeThoseSharedIntoEachOfItsCommunities) {
  EXPECT_THAT(RivalKeys("a", "TOKEN", RivalsCluster()), ElementsAre("a/mine", "b/shared-by-b", "d/shared-by-d"))
      << "own secrets of other projects never meet a's";
}

TEST(Visibility, RivalsOfANameNoSecretHasAnyMoreStayWhereItWasShared) {
  EXPECT_THAT(RivalKeys("r", "OLD", RivalsCluster()), ElementsAre("d/old-name"))
      << "r's secret may have hidden d's under its old name";
}

}  // namespace
}  // namespace ks::op
