// AES-256-GCM over OpenSSL 3 EVP: the one AEAD the envelope uses, both for values and for wrapping
// data keys. Internal to core/crypto. A nonce must never repeat under one key: callers use a fresh
// random 12-byte nonce per encryption.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/common/status.h"
#include "core/crypto/secret_key.h"

namespace ks::crypto::aes_gcm {

inline constexpr std::size_t kNonceSize = 12;
inline constexpr std::size_t kTagSize = 16;

// Returns ciphertext || 16-byte tag. InvalidArgument for a nonce of the wrong size, Internal when
// OpenSSL fails.
StatusOr<std::string> Encrypt(const SecretKey& key, std::string_view nonce, std::string_view plaintext,
                              std::string_view associated_data);

// Inverse of Encrypt. DataLoss("does not authenticate") when the key, nonce, associated data or
// sealed bytes differ from those used to encrypt (callers prefix what it was they tried to open).
StatusOr<std::string> Decrypt(const SecretKey& key, std::string_view nonce, std::string_view sealed,
                              std::string_view associated_data);

}  // namespace ks::crypto::aes_gcm
