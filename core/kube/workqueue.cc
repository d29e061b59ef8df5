#include "core/kube/workqueue.h"

#include <algorithm>
#include <cmath>

namespace ks::kube {

ExponentialBackoff::Duration ExponentialBackoff::Next(const std::string& key) {
  const int exponent = failures_[key]++;
  // In floating point, so that many failures saturate at the cap instead of overflowing.
  const double delay = static_cast<double>(base_.count()) * std::pow(2.0, exponent);
  return delay >= static_cast<double>(cap_.count()) ? cap_ : Duration(static_cast<Duration::rep>(delay));
}

int ExponentialBackoff::Failures(const std::string& key) const {
  const auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

TokenBucket::Duration TokenBucket::Reserve(TimePoint now) {
  const double elapsed = refilled_at_ ? std::chrono::duration<double>(now - *refilled_at_).count() : 0;
  tokens_ = refilled_at_ ? std::min(burst_, tokens_ + elapsed * per_second_) : burst_;
  refilled_at_ = now;
  tokens_ -= 1;
  if (tokens_ >= 0) return Duration::zero();
  // In debt: the reserved token becomes available once the debt is refilled.
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(-tokens_ / per_second_));
}

WorkQueue::WorkQueue(ExponentialBackoff backoff, TokenBucket retry_limit, Clock clock)
    : backoff_(std::move(backoff)), retry_limit_(std::move(retry_limit)), clock_(std::move(clock)) {}

void WorkQueue::Add(const std::string& key) {
  std::lock_guard lock(mutex_);
  AddLocked(key);
}

void WorkQueue::AddLocked(const std::string& key) { AddLocked(key, clock_()); }

void WorkQueue::AddLocked(const std::string& key, TimePoint ready_since) {
  if (shutting_down_ || !dirty_.insert(key).second) return;
  if (processing_.contains(key)) return;  // Done puts it back
  queue_.push_back({key, ready_since});
  ready_.notify_one();
}

void WorkQueue::AddAfter(const std::string& key, Duration delay) {
  std::lock_guard lock(mutex_);
  if (shutting_down_) return;
  if (delay <= Duration::zero()) return AddLocked(key);
  const TimePoint due = clock_() + delay;
  if (auto it = waiting_by_key_.find(key); it != waiting_by_key_.end()) {
    if (it->second->first <= due) return;
    waiting_.erase(it->second);
  }
  waiting_by_key_[key] = waiting_.emplace(due, key);
  ready_.notify_one();  // a waiting Get may have to wake earlier now
}

void WorkQueue::AddRateLimited(const std::string& key) {
  Duration delay;
  {
    std::lock_guard lock(mutex_);
    delay = std::max(backoff_.Next(key), retry_limit_.Reserve(clock_()));
  }
  AddAfter(key, delay);
}

void WorkQueue::Forget(const std::string& key) {
  std::lock_guard lock(mutex_);
  backoff_.Forget(key);
}

int WorkQueue::NumRequeues(const std::string& key) const {
  std::lock_guard lock(mutex_);
  return backoff_.Failures(key);
}

void WorkQueue::PromoteDueLocked() {
  const TimePoint now = clock_();
  while (!waiting_.empty() && waiting_.begin()->first <= now) {
    const auto [due, key] = *waiting_.begin();
    waiting_by_key_.erase(key);
    waiting_.erase(waiting_.begin());
    AddLocked(key, due);
  }
}

std::optional<std::string> WorkQueue::Get() {
  std::unique_lock lock(mutex_);
  while (true) {
    if (shutting_down_) return std::nullopt;
    PromoteDueLocked();
    if (!queue_.empty()) break;
    if (waiting_.empty()) {
      ready_.wait(lock);
    } else {
      ready_.wait_for(lock, waiting_.begin()->first - clock_());
    }
  }
  std::string key = std::move(queue_.front().key);
  queue_.pop_front();
  dirty_.erase(key);
  processing_.insert(key);
  return key;
}

void WorkQueue::Done(const std::string& key) {
  std::lock_guard lock(mutex_);
  processing_.erase(key);
  if (dirty_.contains(key) && !shutting_down_) {
    queue_.push_back({key, clock_()});
    ready_.notify_one();
  }
}

void WorkQueue::ShutDown() {
  std::lock_guard lock(mutex_);
  shutting_down_ = true;
  ready_.notify_all();
}

bool WorkQueue::ShuttingDown() const {
  std::lock_guard lock(mutex_);
  return shutting_down_;
}

std::size_t WorkQueue::Len() const {
  std::lock_guard lock(mutex_);
  const auto due_end = waiting_.upper_bound(clock_());
  const auto due_and_new = std::count_if(waiting_.begin(), due_end, [this](const auto& entry) {
    return !dirty_.contains(entry.second) && !processing_.contains(entry.second);
  });
  return queue_.size() + static_cast<std::size_t>(due_and_new);
}

WorkQueue::Duration WorkQueue::OldestReadyAge() const {
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_();
  // A delayed key is ready from its due time on, before and after a Get moves it over, so the
  // queue is not in order of readiness: look at every key (this runs once per scrape).
  TimePoint since = now;
  for (const ReadyKey& ready : queue_) since = std::min(since, ready.since);
  if (!waiting_.empty()) since = std::min(since, waiting_.begin()->first);
  return now - since;
}

}  // namespace ks::kube
