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

}  // namespace ks::crypto
