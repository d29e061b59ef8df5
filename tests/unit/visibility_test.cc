#include "operator/visibility.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace ks::op {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A cluster held in plain containers.
class FakeCluster : public ClusterView {
 public:
  FakeCluster& AddProject(std::string ns, std::optional<std::string> community) {
    projects_[ns] = {ns, std::move(community)};
    return *this;
  }
  FakeCluster& AddSecret(std::string ns, std::string name, std::string spec_name, std::string created_at) {
    api::SecretView s;
    s.key = {std::move(ns), std::move(name)};
    s.spec_name = std::move(spec_name);
    s.created_at = std::move(created_at);
    s.encrypted = {{"ciphertext", "opaque"}};
    secrets_.push_back(std::move(s));
    return *this;
  }
  FakeCluster& AddShare(std::string ns, std::string secret_name, std::string community, std::string created_at) {
    api::ShareView s;
    s.key = {ns, "share-" + secret_name + "-" + community + "-" + created_at};
    s.secret_name = std::move(secret_name);
    s.community = std::move(community);
    s.created_at = std::move(created_at);
    shares_.push_back(std::move(s));
    return *this;
  }
  api::SecretView& Secret(const std::string& ns, const std::string& name) {
    for (auto& s : secrets_) {
      if (s.key == api::ObjectKey{ns, name}) return s;
    }
    throw std::logic_error("no such secret in the fake");
  }
  api::ShareView& LastShare() { return shares_.back(); }

  std::optional<api::ProjectView> Project(const std::string& ns) const override {
    auto it = projects_.find(ns);
    return it == projects_.end() ? std::nullopt : std::optional(it->second);
  }
  std::vector<api::SecretView> SecretsIn(const std::string& ns) const override {
    std::vector<api::SecretView> out;
    for (const auto& s : secrets_) {
      if (s.key.ns == ns) out.push_back(s);
    }
    return out;
  }
  std::optional<api::SecretView> FindSecret(const api::ObjectKey& key) const override {
    for (const auto& s : secrets_) {
      if (s.key == key) return s;
    }
    return std::nullopt;
  }
  std::vector<api::ShareView> SharesInto(const std::string& community) const override {
    std::vector<api::ShareView> out;
    for (const auto& s : shares_) {
      if (s.community == community) out.push_back(s);
    }
    return out;
  }
  std::vector<api::ShareView> SharesOf(const api::ObjectKey& secret) const override {
    std::vector<api::ShareView> out;
    for (const auto& s : shares_) {
      if (s.SharedSecret() == secret) out.push_back(s);
    }
    return out;
  }
  std::vector<api::ProjectView> ProjectsIn(const std::string& community) const override {
    std::vector<api::ProjectView> out;
    for (const auto& [ns, p] : projects_) {
      if (p.community == community) out.push_back(p);
    }
    return out;
  }

 private:
  std::map<std::string, api::ProjectView> projects_;
  std::vector<api::SecretView> secrets_;
  std::vector<api::ShareView> shares_;
};

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
  cluster.AddProject("a", "c").AddProject("b", "c").AddProject("x", "other")
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
  cluster.AddProject("a", "c").AddProject("b", std::nullopt)
      .AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z")
      .AddShare("a", "token", "c", "2026-01-02T00:00:00Z");
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "b")), IsEmpty());
}

TEST(Visibility, OwnSecretWinsOverShared) {
  FakeCluster cluster;
  cluster.AddProject("a", "c").AddProject("b", "c")
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
  cluster.AddProject("a", "c").AddProject("b", "c").AddProject("p", "c")
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
  cluster.AddProject("a", "c").AddProject("b", "c")
      .AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z")
      .AddShare("a", "token", "c", "2026-01-02T00:00:00Z");
  cluster.Secret("a", "token").deleting = true;
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "a")), IsEmpty());
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "b")), IsEmpty());
}

TEST(Visibility, ShareBeingDeletedNoLongerShares) {
  FakeCluster cluster;
  cluster.AddProject("a", "c").AddProject("b", "c")
      .AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z")
      .AddShare("a", "token", "c", "2026-01-02T00:00:00Z");
  cluster.LastShare().deleting = true;
  EXPECT_THAT(VisibleKeys(VisibleIn(cluster, "b")), IsEmpty());
}

TEST(Visibility, SecretWithoutContentIsNotVisible) {
  FakeCluster cluster;
  cluster.AddProject("a", std::nullopt).AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z");
  cluster.Secret("a", "token").encrypted = nullptr;
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
  cluster.AddProject("a", "c").AddProject("b", "c")
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
  cluster.AddProject("a", "c").AddProject("b", "c").AddProject("d", "d-only").AddProject("e", "c2")
      .AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z")
      .AddShare("a", "token", "c", "2026-01-02T00:00:00Z")
      .AddShare("a", "token", "c2", "2026-01-02T00:00:00Z");
  EXPECT_THAT(ProjectsReachedBy({"a", "token"}, cluster), ElementsAre("a", "b", "e"));
}

}  // namespace
}  // namespace ks::op
