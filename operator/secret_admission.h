// Admission for secrets.kernelsecrets.dev. The mutating half turns the write-only spec.value (or
// the content of a spec.copyFrom source) into spec.encrypted, so plaintext never reaches storage;
// enforces the name rule and one name per project; records the creator once; keeps spec.copyFrom
// create-only; and removes the value from kubectl's last-applied annotation. The validating half
// refuses any object that would still be stored with a value or without content, whatever other
// webhooks did in between. Pure apart from reading the keyring and the cluster view; thread-safe.
#pragma once

#include <functional>
#include <memory>

#include "core/admission/review.h"
#include "core/crypto/keyring.h"
#include "operator/visibility.h"

namespace ks::op {

class SecretAdmission {
 public:
  using KeyringSource = std::function<std::shared_ptr<const crypto::Keyring>()>;

  SecretAdmission(KeyringSource keyring, const ClusterView& cluster)
      : keyring_(std::move(keyring)), cluster_(cluster) {}

  admission::AdmissionDecision Mutate(const admission::AdmissionRequest& request) const;
  admission::AdmissionDecision Validate(const admission::AdmissionRequest& request) const;

 private:
  admission::AdmissionDecision MutateCreate(const admission::AdmissionRequest& request) const;
  admission::AdmissionDecision MutateUpdate(const admission::AdmissionRequest& request) const;
  // Ok when no other secret of the project already uses `spec_name`.
  Status CheckNameIsFree(const std::string& ns, const std::string& object_name, const std::string& spec_name) const;
  // The plaintext of the secret `source`, which must be visible to project `ns`.
  StatusOr<std::string> ReadCopySource(const std::string& ns, const api::ObjectKey& source,
                                       const crypto::Keyring& keyring) const;

  KeyringSource keyring_;
  const ClusterView& cluster_;
};

}  // namespace ks::op
