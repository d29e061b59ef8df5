#include "core/kube/leader_election.h"

#include <spdlog/spdlog.h>

#include "core/common/timestamps.h"

namespace ks::kube {

LeaderElector::LeaderElector(Client& client, LeaderElectionConfig config)
    : client_(client), config_(std::move(config)) {}

LeaderElector::~LeaderElector() { Stop(); }

void LeaderElector::Start() {
  thread_ = std::thread([this] { Run(); });
}

void LeaderElector::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool LeaderElector::Sleep(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !stop_requested_.wait_for(lock, delay, [this] { return stopping_; });
}

void LeaderElector::Run() {
  do {
    if (TryAcquireOrRenew()) Lead();
  } while (Sleep(config_.retry_period));
}

void LeaderElector::Lead() {
  spdlog::info("{} leads {}/{}", config_.identity, config_.lease_namespace, config_.lease_name);
  leading_ = true;
  if (config_.on_started_leading) config_.on_started_leading();

  auto renewed_at = std::chrono::steady_clock::now();
  while (true) {
    if (!Sleep(config_.retry_period)) {
      Release();
      break;
    }
    if (TryAcquireOrRenew()) {
      renewed_at = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - renewed_at >= config_.renew_deadline) {
      spdlog::warn("{} could not renew {}/{} in time; stepping down", config_.identity, config_.lease_namespace,
                   config_.lease_name);
      break;
    }
  }
  leading_ = false;
  if (config_.on_stopped_leading) config_.on_stopped_leading();
}

json LeaderElector::LeaseSpec(const json& previous_spec) const {
  const std::string now = FormatMicroTime(std::chrono::system_clock::now());
  const bool renewing = previous_spec.value("holderIdentity", "") == config_.identity;
  const int transitions = previous_spec.value("leaseTransitions", 0);
  return {{"holderIdentity", config_.identity},
          {"leaseDurationSeconds", config_.lease_duration.count()},
          {"acquireTime", renewing ? previous_spec.value("acquireTime", now) : now},
          {"renewTime", now},
          {"leaseTransitions", renewing ? transitions : transitions + 1}};
}

bool LeaderElector::TryAcquireOrRenew() {
  StatusOr<json> lease = client_.Get(resources::kLeases, config_.lease_namespace, config_.lease_name);
  if (!lease.ok() && lease.status().code() != StatusCode::kNotFound) {
    spdlog::warn("leader election: {}", lease.status().ToString());
    return false;
  }
  if (!lease.ok()) {
    json spec = LeaseSpec(json::object());
    spec["leaseTransitions"] = 0;
    const json fresh = {{"apiVersion", resources::kLeases.ApiVersion()},
                        {"kind", "Lease"},
                        {"metadata", {{"name", config_.lease_name}, {"namespace", config_.lease_namespace}}},
                        {"spec", spec}};
    StatusOr<json> created = client_.Create(resources::kLeases, config_.lease_namespace, fresh);
    if (!created.ok()) return false;  // AlreadyExists: another candidate was faster
    observed_spec_ = spec;
    observed_at_ = std::chrono::steady_clock::now();
    return true;
  }

  const json spec = lease->value("spec", json::object());
  if (spec != observed_spec_) {
    observed_spec_ = spec;
    observed_at_ = std::chrono::steady_clock::now();
  }
  const std::string holder = spec.value("holderIdentity", "");
  const auto held_for = std::chrono::seconds(spec.value("leaseDurationSeconds", 0));
  if (!holder.empty() && holder != config_.identity && std::chrono::steady_clock::now() < observed_at_ + held_for) {
    return false;  // another candidate holds a lease that has not expired
  }

  json next = std::move(*lease);
  next["spec"] = LeaseSpec(spec);
  StatusOr<json> updated = client_.Update(resources::kLeases, config_.lease_namespace, next);
  if (!updated.ok()) return false;  // Conflict: someone else wrote first
  observed_spec_ = (*updated)["spec"];
  observed_at_ = std::chrono::steady_clock::now();
  return true;
}

void LeaderElector::Release() {
  StatusOr<json> lease = client_.Get(resources::kLeases, config_.lease_namespace, config_.lease_name);
  if (!lease.ok() || (*lease)["spec"].value("holderIdentity", "") != config_.identity) return;
  json& spec = (*lease)["spec"];
  spec.erase("holderIdentity");
  spec["leaseDurationSeconds"] = 1;
  spec["renewTime"] = FormatMicroTime(std::chrono::system_clock::now());
  if (StatusOr<json> released = client_.Update(resources::kLeases, config_.lease_namespace, *lease); !released.ok()) {
    spdlog::warn("{} could not release {}/{}: {}", config_.identity, config_.lease_namespace, config_.lease_name,
                 released.status().ToString());
  }
}

}  // namespace ks::kube
