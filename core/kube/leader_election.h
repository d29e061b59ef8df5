// Lease-based leader election (coordination.k8s.io/v1), after client-go's leaderelection. One
// candidate at a time holds the Lease and renews it every retry period. Others take over once the
// Lease went unrenewed for its leaseDurationSeconds, measured on their own clock from when they
// first saw its current content, so clock skew between hosts does not matter. Every write carries
// the resourceVersion it read.
//
// A leader is sure of its Lease only until renew_deadline after it began its last successful
// renewal (LeadingUntil): no other candidate can have seen that renewal earlier, and each waits a
// full lease duration from then. Every call of the elector, and every call of a client bound by
// LeadingUntil (Client::BoundBy), ends by that deadline, and at the deadline the leader steps down:
// so nothing it sends outlasts its Lease, even when the API server stops answering mid-call.
// Callbacks run on the elector's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/kube/client.h"

namespace ks::kube {

struct LeaderElectionConfig {
  std::string lease_namespace;
  std::string lease_name;
  std::string identity;  // unique per candidate, e.g. the pod name
  std::chrono::seconds lease_duration{15};
  std::chrono::milliseconds renew_deadline{10'000};  // shorter than lease_duration
  std::chrono::milliseconds retry_period{2'000};
  // Should return quickly: the leader renews on the same thread.
  std::function<void()> on_started_leading;
  // Runs once the deadline passed or Stop was called; may wait for writes it no longer allows.
  std::function<void()> on_stopped_leading;
};

// What a candidate last saw of the Lease's spec, and when, on its own steady clock.
struct LeaseObservation {
  json spec;  // null: not seen yet, or the last read failed
  std::chrono::steady_clock::time_point at;
};

// The observation after a read at `now` that returned `spec`, or failed (nullopt). A first sight, a
// changed spec, or a read after a failed one starts the clock again; otherwise the spec keeps the
// time it was first seen. Starting again after a failed read is what keeps a frozen or unreachable
// API server safe: a write the old leader sent before the outage may still be applied when the API
// server answers again, and nobody takes the Lease until a full lease duration after that.
LeaseObservation Observe(const LeaseObservation& previous, const std::optional<json>& spec,
                         std::chrono::steady_clock::time_point now);

// Whether `identity` may write itself into the Lease it observed (never after a failed read): it is
// the holder already, nobody holds it, or the holder has not renewed it for leaseDurationSeconds since it was observed. The
// spec's renewTime is another host's clock and never decides.
bool MayTakeLease(const LeaseObservation& observed, const std::string& identity,
                  std::chrono::steady_clock::time_point now);

class LeaderElector {
 public:
  // `client` must outlive the elector.
  LeaderElector(const Client& client, LeaderElectionConfig config);
  ~LeaderElector();  // stops
  LeaderElector(const LeaderElector&) = delete;
  LeaderElector& operator=(const LeaderElector&) = delete;

  // Starts campaigning on the elector's thread. Once per elector.
  void Start();
  // Stops campaigning. A leader releases the Lease, so that another candidate takes over without
  // waiting for it to expire, and on_stopped_leading has run when Stop returns. Stop the writers
  // first: from the release on, the Lease is another candidate's to take.
  void Stop();
  bool IsLeader() const { return leading_; }
  // Until when this candidate is sure to hold the Lease; in the past unless it leads. Thread-safe:
  // the CallDeadline of the leader's writes.
  std::chrono::steady_clock::time_point LeadingUntil() const;

 private:
  using Clock = std::chrono::steady_clock;

  void Run();
  // Leads from a successful acquisition begun at `acquired_at` until Stop or the renew deadline.
  void Lead(Clock::time_point acquired_at);
  // Reads the Lease and writes itself into it when it may; every call ends by call_deadline_.
  bool TryAcquireOrRenew();
  void Release();
  // Waits for `delay`; false if Stop came first.
  bool Sleep(Clock::duration delay);
  json LeaseSpec(const json& previous_spec) const;

  const LeaderElectionConfig config_;
  // The calls' deadline, set before each attempt; read by client_ on the elector's thread.
  Clock::time_point call_deadline_;
  Client client_;
  std::atomic<bool> leading_ = false;
  std::atomic<Clock::rep> leading_until_;  // ticks of Clock since its epoch

  std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;

  LeaseObservation observed_;  // elector thread only
  std::thread thread_;
};

}  // namespace ks::kube
