// Keyrings for the crypto unit tests: fixed, recognisable key bytes so a test can assert that no
// message ever contains them.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/common/encoding.h"
#include "core/crypto/keyring.h"

namespace ks::crypto::testing {

// 32 bytes, all `fill`, e.g. KeyBytes('1') for key k1.
inline std::string KeyBytes(char fill) { return std::string(SecretKey::kSize, fill); }

// A keyring document with `keys` as (id, raw key bytes) and `active`.
inline std::string KeyringYaml(const std::string& active,
                               const std::vector<std::pair<std::string, std::string>>& keys) {
  std::string yaml = "active: " + active + "\nkeys:\n";
  for (const auto& [id, bytes] : keys) yaml += "  - id: " + id + "\n    secret: " + Base64Encode(bytes) + "\n";
  return yaml;
}

inline Keyring MakeKeyring(const std::string& active, const std::vector<std::pair<std::string, std::string>>& keys) {
  StatusOr<Keyring> keyring = Keyring::Parse(KeyringYaml(active, keys));
  EXPECT_TRUE(keyring.ok()) << keyring.status().ToString();
  return std::move(keyring).value();
}

// True when `message` holds none of the key's bytes in raw or base64 form (a 6-byte window of the
// raw bytes, so a partial leak counts too).
inline bool RevealsNoKey(const std::string& message, const std::string& key_bytes) {
  return message.find(key_bytes.substr(0, 6)) == std::string::npos &&
         message.find(Base64Encode(key_bytes).substr(0, 8)) == std::string::npos;
}

}  // namespace ks::crypto::testing
