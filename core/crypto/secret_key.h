// Key material that wipes itself: a 32-byte AES-256 key (a key-encryption key from the keyring, or a
// per-value data key) whose bytes are overwritten with OPENSSL_cleanse when the object dies, and a
// helper to wipe std::string temporaries that held key bytes or plaintext.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "core/common/status.h"

namespace ks::crypto {

class SecretKey {
 public:
  static constexpr std::size_t kSize = 32;

  // Exactly kSize bytes, or InvalidArgument naming only the length that was found.
  static StatusOr<SecretKey> FromBytes(std::string_view bytes);
  // kSize bytes from OpenSSL's CSPRNG.
  static StatusOr<SecretKey> Random();

  // Copies are allowed; each copy wipes itself.
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  ~SecretKey();

  std::span<const unsigned char, kSize> bytes() const { return bytes_; }
  std::string_view view() const { return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()}; }

 private:
  SecretKey() = default;

  std::array<unsigned char, kSize> bytes_{};
};

// Overwrites the string's bytes (OPENSSL_cleanse) and empties it. For temporaries that held key bytes
// or plaintext; a best effort, since earlier reallocations of the string may have left copies.
void Wipe(std::string& s);

}  // namespace ks::crypto
