#include "core/crypto/aes_gcm.h"

#include <openssl/err.h>

#include <climits>

#include "core/crypto/openssl_util.h"

namespace ks::crypto::aes_gcm {
namespace {

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// Starts a GCM context for `key` and `nonce`, and feeds it the associated data.
StatusOr<CipherCtx> Begin(bool encrypt, const SecretKey& key, std::string_view nonce,
                          std::string_view associated_data) {
  if (nonce.size() != kNonceSize) {
    return InvalidArgument("an AES-GCM nonce must be " + std::to_string(kNonceSize) + " bytes, got " +
                           std::to_string(nonce.size()));
  }
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return OpenSslFailure("EVP_CIPHER_CTX_new");
  // The default GCM IV length is 12 bytes, which is ours, so key and IV go in with the cipher.
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes().data(), Bytes(nonce), encrypt ? 1 : 0) !=
      1) {
    return OpenSslFailure("AES-256-GCM init");
  }
  int unused = 0;
  if (!associated_data.empty() && EVP_CipherUpdate(ctx.get(), nullptr, &unused, Bytes(associated_data),
                                                   static_cast<int>(associated_data.size())) != 1) {
    return OpenSslFailure("AES-256-GCM associated data");
  }
  return ctx;
}

Status CheckSize(std::string_view input) {
  if (input.size() > INT_MAX - kTagSize) return InvalidArgument("input too large for AES-GCM");
  return Status::Ok();
}

}  // namespace

StatusOr<std::string> Encrypt(const SecretKey& key, std::string_view nonce, std::string_view plaintext,
                              std::string_view associated_data) {
  KS_RETURN_IF_ERROR(CheckSize(plaintext));
  KS_RETURN_IF_ERROR(CheckSize(associated_data));
  StatusOr<CipherCtx> ctx = Begin(true, key, nonce, associated_data);
  if (!ctx.ok()) return ctx.status();

  // GCM is a stream mode: the ciphertext is exactly as long as the plaintext.
  std::string sealed(plaintext.size() + kTagSize, '\0');
  int written = 0;
  if (!plaintext.empty() && EVP_EncryptUpdate(ctx->get(), Bytes(sealed), &written, Bytes(plaintext),
                                              static_cast<int>(plaintext.size())) != 1) {
    return OpenSslFailure("AES-256-GCM encrypt");
  }
  int final_written = 0;
  if (EVP_EncryptFinal_ex(ctx->get(), Bytes(sealed) + written, &final_written) != 1) {
    return OpenSslFailure("AES-256-GCM encrypt final");
  }
  if (EVP_CIPHER_CTX_ctrl(ctx->get(), EVP_CTRL_GCM_GET_TAG, kTagSize, Bytes(sealed) + plaintext.size()) != 1) {
    return OpenSslFailure("AES-256-GCM tag");
  }
  return sealed;
}

StatusOr<std::string> Decrypt(const SecretKey& key, std::string_view nonce, std::string_view sealed,
                              std::string_view associated_data) {
  KS_RETURN_IF_ERROR(CheckSize(sealed));
  KS_RETURN_IF_ERROR(CheckSize(associated_data));
  const Status not_authentic = DataLoss("does not authenticate");
  if (sealed.size() < kTagSize) return not_authentic;
  StatusOr<CipherCtx> ctx = Begin(false, key, nonce, associated_data);
  if (!ctx.ok()) return ctx.status();

  const std::string_view ciphertext = sealed.substr(0, sealed.size() - kTagSize);
  std::string tag(sealed.substr(ciphertext.size()));
  if (EVP_CIPHER_CTX_ctrl(ctx->get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) != 1) {
    return OpenSslFailure("AES-256-GCM set tag");
  }
  std::string plaintext(ciphertext.size(), '\0');
  int written = 0;
  if (!ciphertext.empty() && EVP_DecryptUpdate(ctx->get(), Bytes(plaintext), &written, Bytes(ciphertext),
                                               static_cast<int>(ciphertext.size())) != 1) {
    Wipe(plaintext);
    return OpenSslFailure("AES-256-GCM decrypt");
  }
  int final_written = 0;
  if (EVP_DecryptFinal_ex(ctx->get(), Bytes(plaintext) + written, &final_written) != 1) {
    // A tag mismatch is the expected failure here; it leaves nothing useful on OpenSSL's queue.
    ERR_clear_error();
    Wipe(plaintext);
    return not_authentic;
  }
  return plaintext;
}

}  // namespace ks::crypto::aes_gcm
