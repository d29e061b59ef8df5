// The status of Secret and SecretShare custom resources as pure functions of what the reconciler
// observed. A condition's lastTransitionTime moves only when its status flips, so an unchanged
// observation yields the stored status exactly and nothing is written.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "operator/visibility.h"

namespace ks::op {

struct SecretObservation {
  std::int64_t generation = 0;
  bool decrypts = false;
  std::string decrypt_problem;  // why not, without any byte of key or value
  bool in_project = false;      // its namespace is a project
  int visible_in = 0;           // projects whose kernels get it
  std::vector<Shadowing> shadowed;
  std::string content_modified_time;  // spec.encrypted.sealedAt
};

// Conditions Ready, DecryptFailed and Shadowed, observedGeneration, visibleIn, contentModifiedTime.
nlohmann::json DesiredSecretStatus(const nlohmann::json& current_status, const SecretObservation& observed,
                                   const std::string& now);

struct ShareObservation {
  std::int64_t generation = 0;
  bool secret_found = false;
  std::string secret_name;
  std::string community;
};

// Condition Ready (the shared secret exists) and observedGeneration.
nlohmann::json DesiredShareStatus(const nlohmann::json& current_status, const ShareObservation& observed,
                                  const std::string& now);

// The status ("True", "False") or message of condition `type`, or "" when absent.
std::string ConditionStatus(const nlohmann::json& status, const std::string& type);
std::string ConditionMessage(const nlohmann::json& status, const std::string& type);

}  // namespace ks::op
