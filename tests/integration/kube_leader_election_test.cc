// Lease-based leader election between two candidates on the real local API server.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
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

  struct Durations {
    std::chrono::seconds lease;
    std::chrono::milliseconds renew_deadline;
    std::chrono::milliseconds retry_period;
  };
  static constexpr Durations kQuick{std::chrono::seconds(3), std::chrono::milliseconds(2000),
                                    std::chrono::milliseconds(200)};
  // A renew deadline far enough below the lease duration that stepping down in time never depends
  // on how busy the machine is.
  static constexpr Durations kWideMargin{std::chrono::seconds(12), std::chrono::milliseconds(3000),
                                         std::chrono::milliseconds(500)};

  void Enter(Candidate& candidate, const std::string& identity, const Durations& durations = kQuick) {
    LeaderElectionConfig config;
    config.lease_namespace = ns();
    config.lease_name = "kernel-secrets-operator";
    config.identity = identity;
    config.lease_duration = durations.lease;
    config.renew_deadline = durations.renew_deadline;
    config.retry_period = durations.retry_period;
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

// The API server stops answering mid-renewal (SIGSTOP): a call would wait for its 30 s timeout,
// longer than the lease. The leader must stop leading before any other candidate could take the
// Lease, which is a lease duration after the last renewal, itself before the freeze.
TEST_F(KubeLeaderElectionTest, ALeaderThatCannotRenewStepsDownBeforeItsLeaseCouldBeTaken) {
  Candidate leader;
  Enter(leader, "leader", kWideMargin);
  ASSERT_TRUE(ks::testing::Eventually([&] { return leader.elector->IsLeader(); }));
  auto frozen = ks::testing::FrozenComponent::Freeze("kube-apiserver", std::chrono::seconds(60));
  ASSERT_TRUE(frozen.ok()) << frozen.status().ToString();
  const bool stepped_down = ks::testing::Eventually([&] { return leader.stopped == 1; }, kWideMargin.lease);
  (*frozen)->Thaw();
  EXPECT_TRUE(stepped_down) << "still leading a lease duration after the API server froze";
  EXPECT_EQ(leader.started, 1);
  leader.elector->Stop();
}

// A write the leader sent into the frozen API server ends for the leader with its leadership, but
// the API server may still apply it once it runs again (closing the connection does not take back
// what its socket received). So the standby takes the Lease only a full lease duration after the
// API server answers again, not at once because the Lease went unrenewed during the freeze.
TEST_F(KubeLeaderElectionTest, AfterTheApiServerFreezesTheStandbyWaitsALeaseDurationBeforeTakingOver) {
  const Resource config_maps{"", "v1", "configmaps", true};
  Candidate leader;
  Candidate standby;
  Enter(leader, "leader", kWideMargin);
  ASSERT_TRUE(ks::testing::Eventually([&] { return leader.elector->IsLeader(); }));
  Enter(standby, "standby", kWideMargin);
  Client writer = client().BoundBy([&leader] { return leader.elector->LeadingUntil(); });
  const json late = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "late"}}}};

  // Right after a renewal, so that no renewal is in flight when the API server freezes.
  std::string renewal = Lease()["spec"].value("renewTime", "");
  ASSERT_TRUE(ks::testing::Eventually([&] { return Lease()["spec"].value("renewTime", "") != renewal; }));
  auto frozen = ks::testing::FrozenComponent::Freeze("kube-apiserver", std::chrono::seconds(60));
  ASSERT_TRUE(frozen.ok()) << frozen.status().ToString();
  auto write = std::async(std::launch::async, [&] { return writer.Create(config_maps, ns(), late).status(); });
  const bool ended = write.wait_for(kWideMargin.lease) == std::future_status::ready;
  // The leader stops leading without the API server; it must not come back as leader on its own
  // renewal after the thaw for this test, so it stops campaigning.
  leader.elector->Stop();
  std::this_thread::sleep_for(kWideMargin.lease);  // the Lease went unrenewed for longer than it lasts
  (*frozen)->Thaw();
  const auto thawed_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(ended) << "the write outlasted the lease duration";
  EXPECT_EQ(write.get().code(), StatusCode::kUnavailable);

  ASSERT_TRUE(ks::testing::Eventually([&] { return standby.elector->IsLeader(); }));
  EXPECT_GE(std::chrono::steady_clock::now() - thawed_at, kWideMargin.lease)
      << "the standby took the Lease before a lease duration of answers had passed";
  standby.elector->Stop();
}

}  // namespace
}  // namespace ks::kube
