// The status of Secret and SecretShare custom resources as pure functions of what the reconciler
// observed. A condition's lastTransitionTime moves only when its status flips, so an unchanged
// observation yields the stored status exactly and nothing is written.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "operator/visibility.h"

namespace ks::op {

struct SecretObservation {
  std::int64_t generation = 0;
  bool decrypts = false;
  std::string decrypt_problem;                  // why not, without any byte of key or value
  bool in_project = false;                      // its namespace is a project
  std::optional<std::string> startup_variable;  // why its name changes how programs start, if it does
  int visible_in = 0;                           // projects whose kernels get it
  std::vector<Shadowing> shadowed;
  std::string content_modified_time;  // spec.encrypted.sealedAt
};

// Conditions Ready, DecryptFailed and Shadowed, observedGeneration, visibleIn, contentModifiedTime.
nlohmann::json DesiredSecretStatus(const nlohmann::json& current_status, const SecretObservation& observed,
                                   const std::string& now);

// What a share does, as its Ready condition tells.
enum class ShareState {
  kShared,
  kSecretNotFound,
  kSecretReplaced,   // the secret it names is not the one it was made for (ShareIsBoundTo)
  kStartupVariable,  // the secret's name changes how programs start, so it reaches no kernel
};

struct ShareObservation {
  std::int64_t generation = 0;
  ShareState state = ShareState::kSecretNotFound;
  std::string secret_name{};
  std::string community{};
  std::string secret_uid{};        // status.secretUID to keep or record; empty while there is none
  std::string startup_variable{};  // kStartupVariable: why
};

// What the share `share` of `secret` (nullopt: missing from the cache) does, with the binding to
// record: the one it has, or, at its first reconcile, the secret's uid if it is bound to it.
ShareObservation ObserveShare(const api::ShareView& share, const std::optional<api::SecretView>& secret,
                              std::int64_t generation);

// Condition Ready (the share shares its secret), secretUID and observedGeneration.
nlohmann::json DesiredShareStatus(const nlohmann::json& current_status, const ShareObservation& observed,
                                  const std::string& now);

// The status ("True", "False") or message of condition `type`, or "" when absent.
std::string ConditionStatus(const nlohmann::json& status, const std::string& type);
std::string ConditionMessage(const nlohmann::json& status, const std::string& type);

}  // namespace ks::op
