// Admission for secrets.kernelsecrets.dev. The mutating half turns the write-only spec.value (or
// the content of a spec.copyFrom source) into spec.encrypted, so plaintext never reaches storage;
// enforces the name rule and one name per project; records the creator once; keeps spec.copyFrom
// create-only; and removes the value from kubectl's last-applied annotation. The validating half
// refuses any object that would still be stored with a value or without content, whatever other
// webhooks did in between (before Kubernetes 1.25; later the CRD's CEL rules do). Pure apart from reading the keyring and the cluster view; thread-safe.
#pragma once

#include <functional>
#include <memory>

#include "core/admission/review.h"
#include "core/crypto/keyring.h"
#include "operator/cluster_view.h"

namespace ks::op {

// Whether an update that re-applies the stored value keeps the stored ciphertext (so the object
// does not change). Comparing with the stored value tells whoever reads the answer whether a guess
// equals it, so only a server whose callers are authenticated as the API server may compare: a
// forged AdmissionReview from anyone else, holding a copied ciphertext, would otherwise be an
// oracle for the value (docs/security-model.md#callers-and-hostile-input).
enum class ReappliedValues {
  kKeepStoredCiphertext,  // callers are authenticated
  kSealAfresh,            // anyone may call: every value is sealed anew
};

class SecretAdmission {
 public:
  using KeyringSource = std::function<std::shared_ptr<const crypto::Keyring>()>;

  SecretAdmission(KeyringSource keyring, const ClusterView& cluster, ReappliedValues reapplied)
      : keyring_(std::move(keyring)), cluster_(cluster), reapplied_(reapplied) {}

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

  // Whether `plaintext` is what `old` stores and may be said to be (see ReappliedValues).
  bool MayKeepStoredCiphertext(const admission::AdmissionRequest& request, const crypto::Keyring& keyring,
                               const api::SecretView& stored, const std::string& plaintext) const;

  KeyringSource keyring_;
  const ClusterView& cluster_;
  const ReappliedValues reapplied_;
};

}  // namespace ks::op
