// Small RAII and error helpers over OpenSSL 3 for the rest of core/crypto: owning pointers for EVP
// contexts, OpenSSL failures as Status (never exceptions), random bytes and SHA-256. Internal to
// core/crypto; other modules use the envelope and keyring APIs.
#pragma once

#include <openssl/evp.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "core/common/status.h"

namespace ks::crypto {

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

// Internal("<what>: <OpenSSL's error queue>"), clearing the thread's error queue. OpenSSL's messages
// name the failing function and reason, never data.
Status OpenSslFailure(std::string_view what);

StatusOr<std::string> RandomBytes(std::size_t count);

// Lower-case hex SHA-256 of the concatenation of `parts`.
StatusOr<std::string> Sha256Hex(std::initializer_list<std::string_view> parts);

}  // namespace ks::crypto
