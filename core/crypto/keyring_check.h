// Whether a new keyring may replace the one in use: a keyring that drops a key id still wrapping
// stored values, or gives a key id other bytes, would make those values undecryptable, and the
// operator would then write every project's native Secret without them. Such a keyring is refused
// and the operator keeps the one it has (docs/crypto.md#keyring-changes). Pure.
#pragma once

#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/crypto/envelope.h"
#include "core/crypto/keyring.h"

namespace ks::crypto {

// A stored value, with the associated data it was sealed for (AssociatedDataFor).
struct StoredValue {
  SealedValue sealed;
  std::string associated_data;
};

// How many values of one key id a check at start-up unwraps, at most.
inline constexpr std::size_t kKeyCheckSample = 16;

// Ok when `candidate` holds, for every key id wrapping one of `stored`, the same key: the same bytes
// as `current` has under that id, or, where `current` is null (start-up) or lacks the id, a key that
// unwraps at least one of the first kKeyCheckSample values of that id (a few damaged values do not
// make a key wrong; none opening does). FailedPrecondition otherwise, naming the key id, how many
// values it wraps and what to do; never key material.
Status CheckKeyringReplacement(const Keyring& candidate, const Keyring* current, const std::vector<StoredValue>& stored);

}  // namespace ks::crypto
