// Small RAII and error helpers over OpenSSL 3 for the rest of core/crypto: an owning pointer for EVP
// cipher contexts, OpenSSL failures as Status (never exceptions), random bytes. Internal to
// core/crypto; other modules use the envelope and keyring APIs.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/common/status.h"

namespace ks::crypto {

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

// Internal("<what>: <OpenSSL's error queue>"), clearing the thread's error queue. OpenSSL's messages
// name the failing function and reason, never data.
Status OpenSslFailure(std::string_view what);

StatusOr<std::string> RandomBytes(std::size_t count);

}  // namespace ks::crypto
