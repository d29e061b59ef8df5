#include "core/kube/leader_election.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/common/timestamps.h"

namespace ks::kube {

LeaseObservation Observe(const LeaseObservation& previous, const std::optional<json>& spec,
                         std::chrono::steady_clock::time_point now) {
  if (!spec) return {json(), now};
  if (!previous.spec.is_null() && previous.spec == *spec) return previous;
  return {*spec, now};
}

bool MayTakeLease(const LeaseObservation& observed, const std::string& identity,
                  std::chrono::steady_clock::time_point now) {
  if (observed.spec.is_null()) return false;  // nothing known
  const std::string holder = observed.spec.value("holderIdentity", "");
  if (holder.empty() || holder == identity) return true;
  const auto held_for = std::chrono::seconds(observed.spec.value("leaseDurationSeconds", 0));
  return now >= observed.at + held_for;
}

LeaderElector::LeaderElector(const Client& client, LeaderElectionConfig config)
    : config_(std::move(config)),
      client_(client.BoundBy([this] { return call_deadline_; })),
      leading_until_(Clock::time_point::min().time_since_epoch().count()) {}

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

std::chrono::steady_clock::time_point LeaderElector::LeadingUntil() const {
  return Clock::time_point(Clock::duration(leading_until_.load()));
}

bool LeaderElector::Sleep(Clock::duration delay) {
  std::unique_lock lock(mutex_);
  return !stop_requested_.wait_for(lock, delay, [this] { return stopping_; });
}

void LeaderElector::Run() {
  do {
    const Clock::time_point attempt = Clock::now();
    // A candidate's try that hangs must not hold up the next one for longer.
    call_deadline_ = attempt + config_.renew_deadline;
    if (TryAcquireOrRenew()) Lead(attempt);
  } while (Sleep(config_.retry_period));
}

void LeaderElector::Lead(Clock::time_point acquired_at) {
  spdlog::info("{} leads {}/{}", config_.identity, config_.lease_namespace, config_.lease_name);
  leading_until_ = (acquired_at + config_.renew_deadline).time_since_epoch().count();
  leading_ = true;
  if (config_.on_started_leading) config_.on_started_leading();

  while (true) {
    const Clock::time_point until = LeadingUntil();
    if (!Sleep(std::clamp<Clock::duration>(until - Clock::now(), Clock::duration::zero(), config_.retry_period))) {
      call_deadline_ = until;
      leading_until_ = Clock::time_point::min().time_since_epoch().count();
      Release();
      break;
    }
    // The renewal's write may land at any moment of the call: the Lease is sure from its start.
    const Clock::time_point attempt = Clock::now();
    if (attempt >= until) {
      spdlog::warn("{} could not renew {}/{} within {} ms; stepping down", config_.identity, config_.lease_namespace,
                   config_.lease_name, config_.renew_deadline.count());
      break;
    }
    call_deadline_ = until;
    if (TryAcquireOrRenew()) leading_until_ = (attempt + config_.renew_deadline).time_since_epoch().count();
  }
  leading_until_ = Clock::time_point::min().time_since_epoch().count();
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
    observed_ = Observe(observed_, std::nullopt, Clock::now());
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
    observed_ = {spec, Clock::now()};
    return true;
  }

  observed_ = Observe(observed_, lease->value("spec", json::object()), Clock::now());
  if (!MayTakeLease(observed_, config_.identity, Clock::now())) return false;

  json next = std::move(*lease);
  next["spec"] = LeaseSpec(observed_.spec);
  StatusOr<json> updated = client_.Update(resources::kLeases, config_.lease_namespace, next);
  if (!updated.ok()) return false;  // Conflict: someone else wrote first
  observed_ = {(*updated)["spec"], Clock::now()};
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
