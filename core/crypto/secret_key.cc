#include "core/crypto/secret_key.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>

#include "core/crypto/openssl_util.h"

namespace ks::crypto {

StatusOr<SecretKey> SecretKey::FromBytes(std::string_view bytes) {
  if (bytes.size() != kSize) {
    return InvalidArgument("a key must be exactly " + std::to_string(kSize) + " bytes, got " +
                           std::to_string(bytes.size()));
  }
  SecretKey key;
  std::copy(bytes.begin(), bytes.end(), key.bytes_.begin());
  return key;
}

StatusOr<SecretKey> SecretKey::Random() {
  SecretKey key;
  if (RAND_bytes(key.bytes_.data(), static_cast<int>(key.bytes_.size())) != 1) {
    return OpenSslFailure("RAND_bytes");
  }
  return key;
}

SecretKey::~SecretKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

void Wipe(std::string& s) {
  OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

}  // namespace ks::crypto
