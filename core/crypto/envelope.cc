#include "core/crypto/envelope.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "core/common/encoding.h"
#include "core/common/timestamps.h"
#include "core/crypto/aes_gcm.h"
#include "core/crypto/openssl_util.h"

namespace ks::crypto {
namespace {

constexpr std::size_t kWrappedKeySize = aes_gcm::kNonceSize + SecretKey::kSize + aes_gcm::kTagSize;

// The wrap's associated data: a fixed label, the KEK's id and the value's associated data, separated
// by NUL bytes. Key ids cannot hold a NUL and the value's associated data comes last, so the encoding
// is unambiguous. Binding the key id means a keyId edited to name another key fails to authenticate
// even if both keys were equal.
std::string WrapAssociatedData(std::string_view key_id, std::string_view associated_data) {
  std::string aad = "kernelsecrets.dev/data-key";
  aad.push_back('\0');
  aad.append(key_id);
  aad.push_back('\0');
  aad.append(associated_data);
  return aad;
}

// Key ids come from stored objects and are shown only when well-formed, so a stray secret put into
// keyId cannot reach a message.
std::string Quoted(std::string_view key_id) {
  return IsValidKeyId(key_id) ? "\"" + std::string(key_id) + "\"" : "(malformed id)";
}

StatusOr<std::string> Wrap(std::string_view key_id, const SecretKey& kek, const SecretKey& data_key,
                           std::string_view associated_data) {
  StatusOr<std::string> wrap_nonce = RandomBytes(aes_gcm::kNonceSize);
  if (!wrap_nonce.ok()) return wrap_nonce.status();
  StatusOr<std::string> encrypted =
      aes_gcm::Encrypt(kek, *wrap_nonce, data_key.view(), WrapAssociatedData(key_id, associated_data));
  if (!encrypted.ok()) return encrypted.status();
  return *wrap_nonce + *encrypted;
}

StatusOr<SecretKey> Unwrap(const Keyring& keyring, const SealedValue& sealed, std::string_view associated_data) {
  const SecretKey* kek = keyring.Find(sealed.key_id);
  if (kek == nullptr) {
    return DataLoss("encrypted value is wrapped by key " + Quoted(sealed.key_id) + ", which is not in the keyring");
  }
  if (sealed.wrapped_key.size() != kWrappedKeySize) {
    return DataLoss("encrypted value is malformed: wrappedKey must be " + std::to_string(kWrappedKeySize) +
                    " bytes, got " + std::to_string(sealed.wrapped_key.size()));
  }
  const std::string_view wrapped = sealed.wrapped_key;
  StatusOr<std::string> data_key_bytes =
      aes_gcm::Decrypt(*kek, wrapped.substr(0, aes_gcm::kNonceSize), wrapped.substr(aes_gcm::kNonceSize),
                       WrapAssociatedData(sealed.key_id, associated_data));
  if (!data_key_bytes.ok()) {
    if (data_key_bytes.status().code() != StatusCode::kDataLoss) return data_key_bytes.status();
    return DataLoss("wrapped data key does not authenticate under key " + Quoted(sealed.key_id) +
                    " (the key differs from the one that sealed it, or keyId, wrappedKey or the object's "
                    "namespace or name changed)");
  }
  StatusOr<SecretKey> data_key = SecretKey::FromBytes(*data_key_bytes);
  Wipe(*data_key_bytes);
  return data_key;
}

StatusOr<std::string> StringField(const nlohmann::json& json, const char* field) {
  auto it = json.find(field);
  if (it == json.end() || !it->is_string()) {
    return InvalidArgument(std::string("encrypted value: ") + field + " must be a string");
  }
  return it->get<std::string>();
}

StatusOr<std::string> Base64Field(const nlohmann::json& json, const char* field) {
  StatusOr<std::string> text = StringField(json, field);
  if (!text.ok()) return text;
  StatusOr<std::string> bytes = Base64Decode(*text);
  if (!bytes.ok()) return InvalidArgument(std::string("encrypted value: ") + field + " is not valid base64");
  return bytes;
}

}  // namespace

std::string AssociatedDataFor(std::string_view ns, std::string_view name) {
  return "kernelsecrets.dev/v1alpha1/Secret/" + std::string(ns) + "/" + std::string(name);
}

StatusOr<SealedValue> Seal(const Keyring& keyring, std::string_view plaintext, std::string_view associated_data,
                           std::chrono::system_clock::time_point now) {
  StatusOr<SecretKey> data_key = SecretKey::Random();
  if (!data_key.ok()) return data_key.status();
  StatusOr<std::string> nonce = RandomBytes(aes_gcm::kNonceSize);
  if (!nonce.ok()) return nonce.status();
  StatusOr<std::string> ciphertext = aes_gcm::Encrypt(*data_key, *nonce, plaintext, associated_data);
  if (!ciphertext.ok()) return ciphertext.status();
  StatusOr<std::string> wrapped_key = Wrap(keyring.active_id(), keyring.active_key(), *data_key, associated_data);
  if (!wrapped_key.ok()) return wrapped_key.status();
  return SealedValue{keyring.active_id(), std::move(*wrapped_key), std::move(*nonce), std::move(*ciphertext),
                     FormatTime(now)};
}

Status VerifyWrappedKey(const Keyring& keyring, const SealedValue& sealed, std::string_view associated_data) {
  return Unwrap(keyring, sealed, associated_data).status();
}

StatusOr<std::string> Open(const Keyring& keyring, const SealedValue& sealed, std::string_view associated_data) {
  if (sealed.nonce.size() != aes_gcm::kNonceSize) {
    return DataLoss("encrypted value is malformed: nonce must be " + std::to_string(aes_gcm::kNonceSize) +
                    " bytes, got " + std::to_string(sealed.nonce.size()));
  }
  StatusOr<SecretKey> data_key = Unwrap(keyring, sealed, associated_data);
  if (!data_key.ok()) return data_key.status();
  StatusOr<std::string> plaintext = aes_gcm::Decrypt(*data_key, sealed.nonce, sealed.ciphertext, associated_data);
  if (!plaintext.ok() && plaintext.status().code() == StatusCode::kDataLoss) {
    return DataLoss(
        "ciphertext does not authenticate (nonce or ciphertext changed, or they were sealed for another object)");
  }
  return plaintext;
}

StatusOr<SealedValue> Rewrap(const Keyring& keyring, const SealedValue& sealed, std::string_view associated_data) {
  StatusOr<SecretKey> data_key = Unwrap(keyring, sealed, associated_data);
  if (!data_key.ok()) return data_key.status();
  if (!NeedsRewrap(keyring, sealed)) return sealed;
  StatusOr<std::string> wrapped_key = Wrap(keyring.active_id(), keyring.active_key(), *data_key, associated_data);
  if (!wrapped_key.ok()) return wrapped_key.status();
  SealedValue rewrapped = sealed;
  rewrapped.key_id = keyring.active_id();
  rewrapped.wrapped_key = std::move(*wrapped_key);
  return rewrapped;
}

bool NeedsRewrap(const Keyring& keyring, const SealedValue& sealed) { return sealed.key_id != keyring.active_id(); }

std::string ContentFingerprint(const SealedValue& sealed) { return Sha256Hex(sealed.nonce + sealed.ciphertext); }

nlohmann::json ToJson(const SealedValue& sealed) {
  return {{"keyId", sealed.key_id},
          {"wrappedKey", Base64Encode(sealed.wrapped_key)},
          {"nonce", Base64Encode(sealed.nonce)},
          {"ciphertext", Base64Encode(sealed.ciphertext)},
          {"sealedAt", sealed.sealed_at}};
}

StatusOr<SealedValue> SealedValueFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return InvalidArgument("encrypted value must be an object");
  SealedValue sealed;
  struct Field {
    const char* name;
    std::string* out;
    bool base64;
  };
  for (const Field& field : {Field{"keyId", &sealed.key_id, false}, Field{"wrappedKey", &sealed.wrapped_key, true},
                             Field{"nonce", &sealed.nonce, true}, Field{"ciphertext", &sealed.ciphertext, true},
                             Field{"sealedAt", &sealed.sealed_at, false}}) {
    StatusOr<std::string> value = field.base64 ? Base64Field(json, field.name) : StringField(json, field.name);
    if (!value.ok()) return value.status();
    *field.out = std::move(*value);
  }
  return sealed;
}

}  // namespace ks::crypto
