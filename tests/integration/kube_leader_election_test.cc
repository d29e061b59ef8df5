// Lease-based leader election between two candidates on the real local API server.
#include <gtest/gtest.h>

#include <atomic>
#include <utility>

#include "core/kube/leader_election.h"
#include "support/local_cluster.h"

namespace ks::kube {
namespace {

class KubeLeaderElectionTest : public ks::testing::ClusterTest {
 protected:
  struct Candidate {
    std::atomic<int> started = 0;
    std::atomic<int> stopped = 0;
    std::unique_ptr<LeaderElector> elector;
  };

  void Enter(Candidate& candidate, const std::string& identity) {
    LeaderElectionConfig config;
    config.lease_namespace = ns();
    config.lease_name = "kernel-secrets-operator";
    config.identity = identity;
    config.lease_duration = std::chrono::seconds(3);
    config.renew_deadline = std::chrono::milliseconds(2000);
    config.retry_period = std::chrono::milliseconds(200);
    config.on_started_leading = [&candidate] { ++candidate.started; };
    config.on_stopped_leading = [&candidate] { ++candidate.stopped; };
    candidate.elector = std::make_unique<LeaderElector>(client(), config);
    candidate.elector->Start();
  }

  json Lease() {
    StatusOr<json> lease = client().Get(resources::kLeases, ns(), "kernel-secrets-operator");
    return lease.ok() ? *lease : json{{"spec", json::object()}};
  }
};

TEST_F(KubeLeaderElectionTest, OneCandidateLeadsAndTheOtherTakesOverWhenItStops) {
  Candidate first;
  Candidate second;
  Enter(first, "first");
  ASSERT_TRUE(ks::testing::Eventually([&] { return first.elector->IsLeader(); }));
  Enter(second, "second");

  // The second candidate retries every 200 ms while the first renews: over three renewals it
  // must not take the lease.
  std::string seen_renewal = Lease()["spec"].value("renewTime", "");
  for (int renewals = 0; renewals < 3; ++renewals) {
    ASSERT_TRUE(ks::testing::Eventually([&] {
      std::string renewal = Lease()["spec"].value("renewTime", "");
      return std::exchange(seen_renewal, renewal) != renewal;
    }));
    EXPECT_EQ(Lease()["spec"]["holderIdentity"], "first");
    EXPECT_FALSE(second.elector->IsLeader());
  }
  EXPECT_EQ(first.started, 1);

  first.elector->Stop();
  EXPECT_EQ(first.stopped, 1) << "on_stopped_leading runs before Stop returns";
  EXPECT_FALSE(first.elector->IsLeader());

  ASSERT_TRUE(ks::testing::Eventually([&] { return second.elector->IsLeader(); }));
  EXPECT_EQ(second.started, 1);
  const json lease = Lease();
  EXPECT_EQ(lease["spec"]["holderIdentity"], "second");
  EXPECT_EQ(lease["spec"]["leaseTransitions"], 1);
  EXPECT_EQ(lease["spec"]["leaseDurationSeconds"], 3);
  second.elector->Stop();
  EXPECT_EQ(second.stopped, 1);
}

}  // namespace
}  // namespace ks::kube
