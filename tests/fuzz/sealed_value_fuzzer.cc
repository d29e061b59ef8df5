// The sealed-value decoder and the envelope's Open and Rewrap (core/crypto/envelope.h) on a
// Secret's spec.encrypted: anyone who may write the custom resource chooses these bytes, and the
// operator and admission open them with the real keyring.
#include "core/crypto/envelope.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const nlohmann::json encrypted = nlohmann::json::parse(ks::fuzz::Text(data, size), nullptr, false);
  if (encrypted.is_discarded()) return 0;
  ks::StatusOr<ks::crypto::SealedValue> sealed = ks::crypto::SealedValueFromJson(encrypted);
  if (!sealed.ok()) return 0;

  // The object the seeds were sealed for, so that a seed opens and mutations start from there.
  const std::string associated_data = ks::crypto::AssociatedDataFor("a", "shared");
  const ks::crypto::Keyring& keyring = *ks::fuzz::FixedKeyring();
  ks::StatusOr<std::string> plaintext = ks::crypto::Open(keyring, *sealed, associated_data);
  ks::StatusOr<ks::crypto::SealedValue> rewrapped = ks::crypto::Rewrap(keyring, *sealed, associated_data);
  if (rewrapped.ok()) {
    ks::fuzz::Require(!ks::crypto::NeedsRewrap(keyring, *rewrapped), "a rewrapped value is under the active key");
    ks::fuzz::Require(ks::crypto::ContentFingerprint(*rewrapped) == ks::crypto::ContentFingerprint(*sealed),
                      "rewrapping keeps the content");
    if (plaintext.ok()) {
      ks::StatusOr<std::string> reopened = ks::crypto::Open(keyring, *rewrapped, associated_data);
      ks::fuzz::Require(reopened.ok() && *reopened == *plaintext, "a rewrapped value opens to the same plaintext");
    }
  }
  ks::fuzz::Require(ks::crypto::SealedValueFromJson(ks::crypto::ToJson(*sealed)).value() == *sealed,
                    "ToJson and SealedValueFromJson round-trip");
  return 0;
}
