// Lease-based leader election (coordination.k8s.io/v1), after client-go's leaderelection. One
// candidate at a time holds the Lease and renews it every retry period; a leader that could not
// renew for renew_deadline steps down. Others take over once the Lease went unrenewed for its
// leaseDurationSeconds, measured on their own clock from when they last saw it change, so clock
// skew between hosts does not matter. Every write carries the resourceVersion it read.
// Callbacks run on the elector's thread and should return quickly.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
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
  std::function<void()> on_started_leading;
  std::function<void()> on_stopped_leading;
};

class LeaderElector {
 public:
  // `client` must outlive the elector.
  LeaderElector(Client& client, LeaderElectionConfig config);
  ~LeaderElector();  // stops
  LeaderElector(const LeaderElector&) = delete;
  LeaderElector& operator=(const LeaderElector&) = delete;

  // Starts campaigning on the elector's thread. Once per elector.
  void Start();
  // Stops campaigning. A leader releases the Lease, so that another candidate takes over without
  // waiting for it to expire, and on_stopped_leading has run when Stop returns.
  void Stop();
  bool IsLeader() const { return leading_; }

 private:
  void Run();
  void Lead();
  bool TryAcquireOrRenew();
  void Release();
  // Waits for `delay`; false if Stop came first.
  bool Sleep(std::chrono::milliseconds delay);
  json LeaseSpec(const json& previous_spec) const;

  Client& client_;
  const LeaderElectionConfig config_;
  std::atomic<bool> leading_ = false;

  std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;

  json observed_spec_;  // the Lease spec as last seen; elector thread only
  std::chrono::steady_clock::time_point observed_at_;
  std::thread thread_;
};

}  // namespace ks::kube
