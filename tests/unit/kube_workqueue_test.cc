// The work queue's contract: dedupe, one worker per key, delays and backoff on an injected clock.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/kube/workqueue.h"

namespace ks::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A clock that moves only when the test says so.
class FakeClock {
 public:
  WorkQueue::Clock clock() {
    return [this] { return now_; };
  }
  void Advance(std::chrono::steady_clock::duration by) { now_ += by; }

 private:
  std::chrono::steady_clock::time_point now_{};
};

TEST(WorkQueue, MergesAddsOfAKeyThatIsWaiting) {
  WorkQueue queue;
  queue.Add("a");
  queue.Add("b");
  queue.Add("a");
  EXPECT_EQ(queue.Len(), 2u);
  EXPECT_EQ(queue.Get(), "a");
  EXPECT_EQ(queue.Get(), "b");
  EXPECT_EQ(queue.Len(), 0u);
}

TEST(WorkQueue, HoldsAKeyAddedWhileProcessedUntilDone) {
  WorkQueue queue;
  queue.Add("a");
  ASSERT_EQ(queue.Get(), "a");
  queue.Add("a");
  queue.Add("a");
  EXPECT_EQ(queue.Len(), 0u) << "a key being processed must not be handed out again";
  queue.Done("a");
  EXPECT_EQ(queue.Len(), 1u);
  EXPECT_EQ(queue.Get(), "a");
  queue.Done("a");
  EXPECT_EQ(queue.Len(), 0u);
}

TEST(WorkQueue, NeverHandsOneKeyToTwoWorkersAtOnce) {
  WorkQueue queue;
  std::mutex mutex;
  std::set<std::string> in_flight;
  std::atomic<int> overlaps = 0;
  std::atomic<int> processed = 0;

  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i) {
    workers.emplace_back([&] {
      while (std::optional<std::string> key = queue.Get()) {
        {
          std::lock_guard lock(mutex);
          if (!in_flight.insert(*key).second) ++overlaps;
        }
        std::this_thread::yield();
        {
          std::lock_guard lock(mutex);
          in_flight.erase(*key);
        }
        ++processed;
        queue.Done(*key);
      }
    });
  }
  for (int round = 0; round < 2000; ++round) queue.Add("key-" + std::to_string(round % 3));
  // Every add is eventually processed at least once after it happened; wait for the queue to drain.
  while (queue.Len() > 0) std::this_thread::yield();
  queue.ShutDown();
  for (std::thread& worker : workers) worker.join();

  EXPECT_EQ(overlaps, 0);
  EXPECT_GT(processed, 0);
}

TEST(WorkQueue, ShutDownWakesABlockedGetWithNothing) {
  WorkQueue queue;
  std::optional<std::string> got = "unset";
  std::thread worker([&] { got = queue.Get(); });
  queue.ShutDown();
  worker.join();
  EXPECT_EQ(got, std::nullopt);
  queue.Add("late");
  EXPECT_EQ(queue.Len(), 0u);
  EXPECT_TRUE(queue.ShuttingDown());
}

TEST(WorkQueue, AddAfterHandsTheKeyOutOnlyOnceTheDelayPassed) {
  FakeClock clock;
  WorkQueue queue(ExponentialBackoff(), TokenBucket(), clock.clock());
  queue.AddAfter("a", seconds(10));
  EXPECT_EQ(queue.Len(), 0u);
  clock.Advance(seconds(9));
  EXPECT_EQ(queue.Len(), 0u);
  clock.Advance(seconds(1));
  EXPECT_EQ(queue.Len(), 1u);
  EXPECT_EQ(queue.Get(), "a");
}

TEST(WorkQueue, AddAfterKeepsTheEarlierDueTime) {
  FakeClock clock;
  WorkQueue queue(ExponentialBackoff(), TokenBucket(), clock.clock());
  queue.AddAfter("a", seconds(10));
  queue.AddAfter("a", seconds(2));
  queue.AddAfter("a", seconds(30));
  clock.Advance(seconds(2));
  EXPECT_EQ(queue.Len(), 1u);
  EXPECT_EQ(queue.Get(), "a");
  queue.Done("a");
  clock.Advance(seconds(60));
  EXPECT_EQ(queue.Len(), 0u) << "the later adds were merged into the earliest";
}

TEST(WorkQueue, OldestReadyAgeIsHowLongTheFirstReadyKeyHasWaited) {
  FakeClock clock;
  WorkQueue queue(ExponentialBackoff(), TokenBucket(), clock.clock());
  EXPECT_EQ(queue.OldestReadyAge(), seconds(0)) << "empty";
  queue.AddAfter("delayed", seconds(5));
  queue.Add("a");
  clock.Advance(seconds(3));
  queue.Add("b");
  EXPECT_EQ(queue.OldestReadyAge(), seconds(3)) << "a waits since the start; the delayed key is not ready yet";
  clock.Advance(seconds(4));
  EXPECT_EQ(queue.OldestReadyAge(), seconds(7));
  EXPECT_EQ(queue.Get(), "a");
  EXPECT_EQ(queue.OldestReadyAge(), seconds(4)) << "b";
  EXPECT_EQ(queue.Get(), "b");
  EXPECT_EQ(queue.OldestReadyAge(), seconds(2)) << "the delayed key has been ready since its due time";
  EXPECT_EQ(queue.Get(), "delayed");
  EXPECT_EQ(queue.OldestReadyAge(), seconds(0)) << "keys being processed are not waiting";
}

TEST(WorkQueue, AddRateLimitedBacksOffPerKeyAndForgetResets) {
  FakeClock clock;
  WorkQueue queue(ExponentialBackoff(milliseconds(5), seconds(1000)), TokenBucket(), clock.clock());
  const auto fail_once = [&](const std::string& key) { queue.AddRateLimited(key); };

  fail_once("a");  // due in 5 ms
  fail_once("b");  // due in 5 ms: backoff is per key
  clock.Advance(milliseconds(5));
  EXPECT_EQ(queue.Len(), 2u);
  ASSERT_EQ(queue.Get(), "a");
  ASSERT_EQ(queue.Get(), "b");
  queue.Done("a");
  queue.Done("b");

  fail_once("a");  // second failure: due in 10 ms
  clock.Advance(milliseconds(9));
  EXPECT_EQ(queue.Len(), 0u);
  clock.Advance(milliseconds(1));
  EXPECT_EQ(queue.Len(), 1u);
  ASSERT_EQ(queue.Get(), "a");
  queue.Done("a");
  EXPECT_EQ(queue.NumRequeues("a"), 2);

  queue.Forget("a");
  EXPECT_EQ(queue.NumRequeues("a"), 0);
  fail_once("a");  // back to 5 ms
  clock.Advance(milliseconds(5));
  EXPECT_EQ(queue.Len(), 1u);
}

TEST(WorkQueue, RetriesOfAllKeysTogetherAreLimitedOverall) {
  FakeClock clock;
  WorkQueue queue(ExponentialBackoff(), TokenBucket(/*per_second=*/10, /*burst=*/2), clock.clock());
  queue.AddRateLimited("a");
  queue.AddRateLimited("b");
  queue.AddRateLimited("c");  // first failure of c, but the burst is spent: waits for a token
  clock.Advance(milliseconds(5));
  EXPECT_EQ(queue.Len(), 2u);
  clock.Advance(milliseconds(94));
  EXPECT_EQ(queue.Len(), 2u);
  clock.Advance(milliseconds(1));
  EXPECT_EQ(queue.Len(), 3u);
}

TEST(TokenBucket, GivesABurstThenOneTokenPerInterval) {
  TokenBucket bucket(/*per_second=*/4, /*burst=*/2);
  const std::chrono::steady_clock::time_point start{};
  EXPECT_EQ(bucket.Reserve(start), milliseconds(0));
  EXPECT_EQ(bucket.Reserve(start), milliseconds(0));
  EXPECT_EQ(bucket.Reserve(start), milliseconds(250));
  EXPECT_EQ(bucket.Reserve(start), milliseconds(500));
  EXPECT_EQ(bucket.Reserve(start + seconds(10)), milliseconds(0)) << "refills up to the burst";
  EXPECT_EQ(bucket.Reserve(start + seconds(10)), milliseconds(0));
  EXPECT_EQ(bucket.Reserve(start + seconds(10)), milliseconds(250));
}

TEST(ExponentialBackoff, DoublesFromFiveMillisecondsAndCapsAtThousandSeconds) {
  ExponentialBackoff backoff;
  const std::vector<std::chrono::steady_clock::duration> expected = {
      milliseconds(5), milliseconds(10), milliseconds(20), milliseconds(40), milliseconds(80)};
  for (const auto& delay : expected) EXPECT_EQ(backoff.Next("k"), delay);

  for (int i = 0; i < 100; ++i) (void)backoff.Next("k");
  EXPECT_EQ(backoff.Next("k"), seconds(1000)) << "many failures saturate at the cap";
  EXPECT_EQ(backoff.Next("other"), milliseconds(5));
}

TEST(ExponentialBackoff, ForgetStartsOver) {
  ExponentialBackoff backoff;
  (void)backoff.Next("k");
  (void)backoff.Next("k");
  EXPECT_EQ(backoff.Failures("k"), 2);
  backoff.Forget("k");
  EXPECT_EQ(backoff.Failures("k"), 0);
  EXPECT_EQ(backoff.Next("k"), milliseconds(5));
}

}  // namespace
}  // namespace ks::kube
