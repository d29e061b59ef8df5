// The key-encryption keys (KEKs): an immutable set of 32-byte AES-256 keys by id, one of them active.
// New data keys are wrapped with the active key; older keys stay to unwrap values sealed before a
// rotation. Parsed from YAML (format in docs/crypto.md; KeyringWatcher reads it from a file). Parse errors name the
// field at fault and never any key material. A Keyring is immutable and safe to share between threads.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "core/crypto/secret_key.h"

namespace ks::crypto {

// Key ids are 1 to 32 characters of [a-z0-9-]: safe to show in messages, Events and the CR.
bool IsValidKeyId(std::string_view id);

class Keyring {
 public:
  // The YAML document:
  //   active: k2
  //   keys:
  //     - id: k1
  //       secret: <base64 of exactly 32 bytes>
  // InvalidArgument for a malformed document, a missing or unknown active id, duplicate or invalid
  // ids, bad base64 or a key of the wrong length.
  static StatusOr<Keyring> Parse(std::string_view yaml);

  const std::string& active_id() const { return active_id_; }
  const SecretKey& active_key() const { return keys_.find(active_id_)->second; }
  // nullptr when the keyring has no key `id`.
  const SecretKey* Find(std::string_view id) const;
  // All key ids, sorted.
  std::vector<std::string> ids() const;

 private:
  Keyring(std::string active_id, std::map<std::string, SecretKey, std::less<>> keys)
      : active_id_(std::move(active_id)), keys_(std::move(keys)) {}

  std::string active_id_;
  std::map<std::string, SecretKey, std::less<>> keys_;
};

}  // namespace ks::crypto
