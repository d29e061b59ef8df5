// A rate-limited queue of string keys for reconcilers, after client-go's workqueue. A key waits in
// the queue at most once (adds while it waits are merged) and is never handed to two workers at
// once (an add while it is processed is held until Done). A failed key comes back after a per-key
// exponential backoff. Thread-safe; Get blocks. Time comes from an injectable clock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace ks::kube {

// Per-key exponential backoff: base * 2^(failures so far), capped. Not thread-safe on its own.
class ExponentialBackoff {
 public:
  using Duration = std::chrono::steady_clock::duration;

  explicit ExponentialBackoff(Duration base = std::chrono::milliseconds(5), Duration cap = std::chrono::seconds(1000))
      : base_(base), cap_(cap) {}

  // The delay before retrying `key` after one more failure; counts that failure.
  Duration Next(const std::string& key);
  void Forget(const std::string& key) { failures_.erase(key); }
  int Failures(const std::string& key) const;

 private:
  Duration base_;
  Duration cap_;
  std::unordered_map<std::string, int> failures_;
};

// An overall limit on retries, so that many failing keys cannot flood the API server: on average
// `per_second` retries, in bursts of up to `burst`. Not thread-safe on its own.
class TokenBucket {
 public:
  using Duration = std::chrono::steady_clock::duration;
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit TokenBucket(double per_second = 10, double burst = 100) : per_second_(per_second), burst_(burst) {}

  // Takes a token and returns how long to wait before it may be used (zero while tokens last).
  Duration Reserve(TimePoint now);

 private:
  double per_second_;
  double burst_;
  double tokens_ = 0;
  std::optional<TimePoint> refilled_at_;
};

class WorkQueue {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using Duration = std::chrono::steady_clock::duration;

  explicit WorkQueue(ExponentialBackoff backoff = ExponentialBackoff(), TokenBucket retry_limit = TokenBucket(),
                     Clock clock = std::chrono::steady_clock::now);
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void Add(const std::string& key);
  // Adds `key` once `delay` has passed; a key already waiting keeps the earlier of both times.
  void AddAfter(const std::string& key, Duration delay);
  // Adds `key` after its backoff, which doubles with every call until Forget, or later when
  // retries of all keys together exceed the overall limit.
  void AddRateLimited(const std::string& key);
  // Ends the backoff of `key`: call it when `key` was processed successfully.
  void Forget(const std::string& key);
  int NumRequeues(const std::string& key) const;

  // The next key to process, blocking until one is ready; nullopt once ShutDown was called. The
  // caller owns the key until it calls Done(key), whatever the outcome.
  std::optional<std::string> Get();
  void Done(const std::string& key);

  // Wakes every Get with nullopt; later adds are ignored.
  void ShutDown();
  bool ShuttingDown() const;

  // Keys ready to be handed out now: not those being processed or still waiting out a delay.
  std::size_t Len() const;
  // How long the key that has been ready longest has waited for a worker; zero when none is.
  Duration OldestReadyAge() const;

 private:
  using TimePoint = std::chrono::steady_clock::time_point;

  void AddLocked(const std::string& key);
  void AddLocked(const std::string& key, TimePoint ready_since);
  void PromoteDueLocked();

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  struct ReadyKey {
    std::string key;
    TimePoint since;  // when it was added, came due, or was handed back by Done
  };
  std::deque<ReadyKey> queue_;
  std::unordered_set<std::string> dirty_;          // queued, or added again while processed
  std::unordered_set<std::string> processing_;     // handed out by Get, not yet Done
  std::multimap<TimePoint, std::string> waiting_;  // delayed keys by due time
  std::unordered_map<std::string, std::multimap<TimePoint, std::string>::iterator> waiting_by_key_;
  ExponentialBackoff backoff_;
  TokenBucket retry_limit_;
  Clock clock_;
  bool shutting_down_ = false;
};

}  // namespace ks::kube
