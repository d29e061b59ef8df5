#include "core/crypto/openssl_util.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <array>

namespace ks::crypto {

Status OpenSslFailure(std::string_view what) {
  std::string message(what);
  while (unsigned long code = ERR_get_error()) {
    std::array<char, 256> buffer{};
    ERR_error_string_n(code, buffer.data(), buffer.size());
    message += ": ";
    message += buffer.data();
  }
  return Internal(std::move(message));
}

StatusOr<std::string> RandomBytes(std::size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    return OpenSslFailure("RAND_bytes");
  }
  return bytes;
}

StatusOr<std::string> Sha256Hex(std::initializer_list<std::string_view> parts) {
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return OpenSslFailure("SHA-256 init");
  }
  for (std::string_view part : parts) {
    if (EVP_DigestUpdate(ctx.get(), part.data(), part.size()) != 1) return OpenSslFailure("SHA-256 update");
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1) return OpenSslFailure("SHA-256 final");

  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

}  // namespace ks::crypto
