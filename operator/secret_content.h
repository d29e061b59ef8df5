// Reading and writing a Secret custom resource's content: spec.value in, spec.encrypted out, bound
// to the object's namespace and name. Shared by admission and the reconciler.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/api/resources.h"
#include "core/crypto/envelope.h"

namespace ks::op {

// `secret`'s spec.encrypted, parsed from the view's text; an error when it is missing or malformed.
StatusOr<crypto::SealedValue> SealedContent(const api::SecretView& secret);

// The plaintext of `secret`'s spec.encrypted; DataLoss when it is missing, malformed or does not
// authenticate for this object (e.g. transplanted from another one).
StatusOr<std::string> OpenContent(const crypto::Keyring& keyring, const api::SecretView& secret);

// The plaintext of `sealed`, the content of the object `key`: for a caller that has parsed the
// content already; DataLoss when it does not authenticate for this object.
StatusOr<std::string> OpenSealed(const crypto::Keyring& keyring, const crypto::SealedValue& sealed,
                                 const api::ObjectKey& key);

// Seals `plaintext` for the object `key`.
StatusOr<crypto::SealedValue> SealContent(const crypto::Keyring& keyring, const std::string& plaintext,
                                          const api::ObjectKey& key);

// Replaces spec.value (if any) with spec.encrypted = `sealed`, and cleans the last-applied annotation.
void StoreSealed(nlohmann::json& object, const crypto::SealedValue& sealed);

// Removes spec.value from kubectl's last-applied-configuration annotation, if the object has one.
// Deterministic, so re-applying an unchanged manifest yields the annotation already stored. An
// annotation that is not JSON is dropped: it could hold a value in a form we cannot clean.
void ScrubLastApplied(nlohmann::json& object);

}  // namespace ks::op
