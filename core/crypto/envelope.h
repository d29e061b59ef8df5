// Envelope encryption of secret values (layout and threat model in docs/crypto.md). Each value gets a
// fresh random data key; the value is sealed with it by AES-256-GCM, and the data key is wrapped by
// the keyring's active key-encryption key, also AES-256-GCM. Both bind the caller's associated data
// (AssociatedDataFor: the object's namespace and name), so a sealed value moved to another object
// does not open. Errors never contain key or plaintext bytes. All functions are thread-safe.
#pragma once

#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "core/common/status.h"
#include "core/crypto/keyring.h"

namespace ks::crypto {

// What is stored for one value: spec.encrypted of a Secret CR. Byte fields hold raw bytes here and
// base64 in JSON.
struct SealedValue {
  std::string key_id;       // the KEK that wrapped the data key
  std::string wrapped_key;  // 60 bytes: wrap nonce (12) || encrypted data key (32) || GCM tag (16)
  std::string nonce;        // 12 bytes, the value's GCM nonce
  std::string ciphertext;   // encrypted value (as long as the plaintext) || GCM tag (16)
  std::string sealed_at;    // RFC 3339 UTC, when the value was sealed; Rewrap keeps it

  bool operator==(const SealedValue&) const = default;
};

// "kernelsecrets.dev/v1alpha1/Secret/<namespace>/<name>": the associated data of a Secret CR's value.
std::string AssociatedDataFor(std::string_view ns, std::string_view name);

// Seals `plaintext` (empty is allowed) under the keyring's active key. Internal only when OpenSSL or
// its random generator fails.
StatusOr<SealedValue> Seal(const Keyring& keyring, std::string_view plaintext, std::string_view associated_data,
                           std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// The plaintext, or DataLoss naming what failed: a malformed field, an unknown key id, a wrapped key
// that does not authenticate, or a ciphertext that does not authenticate.
StatusOr<std::string> Open(const Keyring& keyring, const SealedValue& sealed, std::string_view associated_data);

// Key rotation: unwraps the data key with the key that wrapped it and wraps it again with the active
// key; nonce, ciphertext and sealed_at are untouched, so afterwards only the active key is needed. A
// value already under the active key comes back unchanged (once its wrap has been verified). Errors as
// Open's for the wrapped key; the ciphertext itself is not checked.
StatusOr<SealedValue> Rewrap(const Keyring& keyring, const SealedValue& sealed, std::string_view associated_data);

// Ok when the data key of `sealed` unwraps under its key id's key, the errors of Open otherwise. The
// value itself is not decrypted: this tells whether a keyring holds the key a value was sealed with.
Status VerifyWrappedKey(const Keyring& keyring, const SealedValue& sealed, std::string_view associated_data);

// True when `sealed` is not wrapped by the keyring's active key.
bool NeedsRewrap(const Keyring& keyring, const SealedValue& sealed);

// Lower-case hex SHA-256 of nonce || ciphertext: changes whenever a value is sealed again, is stable
// under Rewrap, and is not derived from the plaintext, so it reveals nothing about short values.
std::string ContentFingerprint(const SealedValue& sealed);

// {keyId, wrappedKey, nonce, ciphertext, sealedAt}, byte fields in base64: the CRD's spec.encrypted.
nlohmann::json ToJson(const SealedValue& sealed);
// InvalidArgument naming the field when one is missing, not a string, or not valid base64. Sizes are
// checked by Open and Rewrap.
StatusOr<SealedValue> SealedValueFromJson(const nlohmann::json& json);

}  // namespace ks::crypto
