#include "core/crypto/keyring_check.h"

#include <gtest/gtest.h>

#include "crypto_test_util.h"

namespace ks::crypto {
namespace {

using testing::KeyBytes;
using testing::MakeKeyring;
using testing::RevealsNoKey;

// `count` values sealed under `keyring`'s active key, each for an object of its own.
std::vector<StoredValue> SealedUnder(const Keyring& keyring, int count, const std::string& prefix = "secret-") {
  std::vector<StoredValue> values;
  for (int i = 0; i < count; ++i) {
    const std::string associated_data = AssociatedDataFor("project", prefix + std::to_string(i));
    StatusOr<SealedValue> sealed = Seal(keyring, "value", associated_data);
    EXPECT_TRUE(sealed.ok());
    values.push_back({*sealed, associated_data});
  }
  return values;
}

const Keyring kInUse = MakeKeyring("k1", {{"k1", KeyBytes('1')}});

TEST(KeyringCheck, AKeyringThatKeepsEveryKeyInUseIsTaken) {
  const std::vector<StoredValue> stored = SealedUnder(kInUse, 3);
  const Keyring rotated = MakeKeyring("k2", {{"k1", KeyBytes('1')}, {"k2", KeyBytes('2')}});
  EXPECT_TRUE(CheckKeyringReplacement(rotated, &kInUse, stored).ok());
  EXPECT_TRUE(CheckKeyringReplacement(rotated, nullptr, stored).ok()) << "at start-up, by unwrapping";
  EXPECT_TRUE(CheckKeyringReplacement(MakeKeyring("k9", {{"k9", KeyBytes('9')}}), &kInUse, {}).ok())
      << "nothing stored: any keyring";
}

TEST(KeyringCheck, DroppingAKeyIdStillInUseIsRefusedNamingIt) {
  const Status refused =
      CheckKeyringReplacement(MakeKeyring("k2", {{"k2", KeyBytes('2')}}), &kInUse, SealedUnder(kInUse, 2));
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("no key \"k1\", which wraps 2 stored values"), std::string::npos) << refused.message();
}

TEST(KeyringCheck, OtherBytesUnderAKeyIdInUseAreRefusedWithoutSayingThem) {
  const Keyring regenerated = MakeKeyring("k1", {{"k1", KeyBytes('7')}});
  const std::vector<StoredValue> stored = SealedUnder(kInUse, 2);
  const Status refused = CheckKeyringReplacement(regenerated, &kInUse, stored);
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("other bytes"), std::string::npos) << refused.message();
  EXPECT_TRUE(RevealsNoKey(refused.message(), KeyBytes('7')));
  EXPECT_TRUE(RevealsNoKey(refused.message(), KeyBytes('1')));

  const Status at_start = CheckKeyringReplacement(regenerated, nullptr, stored);
  EXPECT_EQ(at_start.code(), StatusCode::kFailedPrecondition) << "at start-up no data key unwraps";
  EXPECT_NE(at_start.message().find("unwraps none of their data keys"), std::string::npos) << at_start.message();
}

TEST(KeyringCheck, AtStartUpAFewDamagedValuesDoNotMakeTheKeyWrong) {
  std::vector<StoredValue> stored = SealedUnder(kInUse, 3);
  stored[0].associated_data = "moved";  // no longer opens
  stored[1].sealed.wrapped_key[20] ^= 1;
  EXPECT_TRUE(CheckKeyringReplacement(kInUse, nullptr, stored).ok());
}

TEST(KeyringCheck, AKeyIdTheCurrentKeyringLacksIsCheckedByUnwrapping) {
  // The operator started with a keyring that had lost k0; a keyring bringing k0 back is checked
  // against the values k0 wrapped.
  const Keyring with_k0 = MakeKeyring("k0", {{"k0", KeyBytes('0')}});
  const std::vector<StoredValue> stored = SealedUnder(with_k0, 2);
  const Keyring restored = MakeKeyring("k1", {{"k0", KeyBytes('0')}, {"k1", KeyBytes('1')}});
  EXPECT_TRUE(CheckKeyringReplacement(restored, &kInUse, stored).ok());
  const Keyring wrong_k0 = MakeKeyring("k1", {{"k0", KeyBytes('5')}, {"k1", KeyBytes('1')}});
  EXPECT_FALSE(CheckKeyringReplacement(wrong_k0, &kInUse, stored).ok());
}

}  // namespace
}  // namespace ks::crypto
