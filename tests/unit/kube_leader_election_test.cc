// The leader elector's decision whether a candidate may write itself into the Lease it read.
#include <gtest/gtest.h>

#include "core/kube/leader_election.h"

namespace ks::kube {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

const Clock::time_point kStart = Clock::time_point() + std::chrono::hours(1);

json HeldBy(const std::string& holder, const std::string& renew_time = "2026-12-01T19:00:00.000000Z") {
  return {{"holderIdentity", holder},
          {"leaseDurationSeconds", 15},
          {"acquireTime", "2026-12-01T18:00:00.000000Z"},
          {"renewTime", renew_time},
          {"leaseTransitions", 3}};
}

TEST(LeaseDecision, ANewCandidateWaitsAFullLeaseDurationFromItsFirstSightWhateverTheRenewTimeSays) {
  // A renewTime years old on this host's clock says nothing: the holder's clock may differ.
  const LeaseObservation first = Observe({}, HeldBy("leader", "2020-01-01T00:00:00.000000Z"), kStart);
  EXPECT_EQ(first.at, kStart);
  EXPECT_FALSE(MayTakeLease(first, "newcomer", kStart));
  EXPECT_FALSE(MayTakeLease(first, "newcomer", kStart + seconds(14)));
  EXPECT_TRUE(MayTakeLease(first, "newcomer", kStart + seconds(15)));
}

TEST(LeaseDecision, AnUnchangedLeaseKeepsTheTimeItWasFirstSeen) {
  const LeaseObservation first = Observe({}, HeldBy("leader"), kStart);
  const LeaseObservation again = Observe(first, HeldBy("leader"), kStart + seconds(10));
  EXPECT_EQ(again.at, kStart);
  EXPECT_TRUE(MayTakeLease(again, "standby", kStart + seconds(15)));
}

TEST(LeaseDecision, ARenewalStartsTheClockAgain) {
  const LeaseObservation first = Observe({}, HeldBy("leader"), kStart);
  const LeaseObservation renewed =
      Observe(first, HeldBy("leader", "2026-12-01T19:00:02.000000Z"), kStart + seconds(10));
  EXPECT_EQ(renewed.at, kStart + seconds(10));
  EXPECT_FALSE(MayTakeLease(renewed, "standby", kStart + seconds(15)));
  EXPECT_TRUE(MayTakeLease(renewed, "standby", kStart + seconds(25)));
}

// A frozen API server may still hold a write of the old leader, applied once it answers again:
// only reads that succeed count towards the lease duration.
TEST(LeaseDecision, AFailedReadStartsTheClockAgain) {
  const LeaseObservation first = Observe({}, HeldBy("leader"), kStart);
  const LeaseObservation failed = Observe(first, std::nullopt, kStart + seconds(5));
  EXPECT_FALSE(MayTakeLease(failed, "standby", kStart + seconds(20)));
  const LeaseObservation answered = Observe(failed, HeldBy("leader"), kStart + seconds(20));
  EXPECT_EQ(answered.at, kStart + seconds(20));
  EXPECT_FALSE(MayTakeLease(answered, "standby", kStart + seconds(34)));
  EXPECT_TRUE(MayTakeLease(answered, "standby", kStart + seconds(35)));
}

TEST(LeaseDecision, TheHolderMayRenewAtOnce) {
  EXPECT_TRUE(MayTakeLease(Observe({}, HeldBy("leader"), kStart), "leader", kStart));
}

TEST(LeaseDecision, AReleasedLeaseMayBeTakenAtOnce) {
  json released = HeldBy("leader");
  released.erase("holderIdentity");
  EXPECT_TRUE(MayTakeLease(Observe({}, released, kStart), "standby", kStart));
}

TEST(LeaseDecision, TheDurationIsTheLeases) {
  json short_lease = HeldBy("leader");
  short_lease["leaseDurationSeconds"] = 3;
  const LeaseObservation seen = Observe({}, short_lease, kStart);
  EXPECT_FALSE(MayTakeLease(seen, "standby", kStart + seconds(2)));
  EXPECT_TRUE(MayTakeLease(seen, "standby", kStart + seconds(3)));
}

}  // namespace
}  // namespace ks::kube
