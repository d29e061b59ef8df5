#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "core/crypto/envelope.h"
#include "crypto_test_util.h"

namespace ks::crypto {
namespace {

using testing::KeyBytes;
using testing::MakeKeyring;
using testing::RevealsNoKey;

const std::string kPlaintext = "correct horse battery staple";
const std::string kAssociatedData = AssociatedDataFor("project-a", "db-password");

class Envelope : public ::testing::Test {
 protected:
  const Keyring k1_only_ = MakeKeyring("k1", {{"k1", KeyBytes('1')}});
  const Keyring rotated_ = MakeKeyring("k2", {{"k1", KeyBytes('1')}, {"k2", KeyBytes('2')}});
  const Keyring k2_only_ = MakeKeyring("k2", {{"k2", KeyBytes('2')}});

  SealedValue SealOrDie(const Keyring& keyring, std::string_view plaintext = kPlaintext,
                        std::string_view associated_data = kAssociatedData) {
    StatusOr<SealedValue> sealed = Seal(keyring, plaintext, associated_data);
    EXPECT_TRUE(sealed.ok()) << sealed.status().ToString();
    return std::move(sealed).value();
  }

  // A failed open must say DataLoss and name what failed, with no plaintext and no key bytes.
  void ExpectDataLoss(const Status& status, std::string_view expected_message) {
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.code(), StatusCode::kDataLoss);
    EXPECT_NE(status.message().find(expected_message), std::string::npos) << status.message();
    EXPECT_EQ(status.message().find(kPlaintext.substr(0, 6)), std::string::npos) << status.message();
    EXPECT_TRUE(RevealsNoKey(status.message(), KeyBytes('1'))) << status.message();
    EXPECT_TRUE(RevealsNoKey(status.message(), KeyBytes('2'))) << status.message();
  }
};

TEST_F(Envelope, OpenReturnsWhatWasSealed) {
  for (const std::string& plaintext :
       std::vector<std::string>{"", "x", kPlaintext, std::string("a\0b\xff", 4), std::string(1 << 20, 'v')}) {
    const SealedValue sealed = SealOrDie(k1_only_, plaintext);
    StatusOr<std::string> opened = Open(k1_only_, sealed, kAssociatedData);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST_F(Envelope, SealedValueHasTheDocumentedLayout) {
  const SealedValue sealed = SealOrDie(rotated_);
  EXPECT_EQ(sealed.key_id, "k2");
  EXPECT_EQ(sealed.wrapped_key.size(), 12u + 32u + 16u);
  EXPECT_EQ(sealed.nonce.size(), 12u);
  EXPECT_EQ(sealed.ciphertext.size(), kPlaintext.size() + 16u);
  EXPECT_EQ(sealed.ciphertext.find(kPlaintext), std::string::npos);
}

TEST_F(Envelope, SealedAtIsRfc3339UtcOfTheSealingTime) {
  const auto time = std::chrono::sys_days{std::chrono::March / 1 / 2024} + std::chrono::hours(12) +
                    std::chrono::minutes(34) + std::chrono::seconds(56) + std::chrono::milliseconds(789);
  StatusOr<SealedValue> sealed = Seal(k1_only_, kPlaintext, kAssociatedData, time);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->sealed_at, "2024-03-01T12:34:56Z");
}

TEST_F(Envelope, SealingTheSameValueTwiceSharesNothing) {
  const SealedValue first = SealOrDie(k1_only_);
  const SealedValue second = SealOrDie(k1_only_);
  EXPECT_NE(first.nonce, second.nonce);
  EXPECT_NE(first.wrapped_key, second.wrapped_key);
  EXPECT_NE(first.ciphertext, second.ciphertext);
  EXPECT_NE(ContentFingerprint(first), ContentFingerprint(second));
}

struct Tampering {
  std::string name;
  std::function<void(SealedValue&)> tamper;
  std::string expected_message;
};

void FlipFirstBit(std::string& bytes) { bytes[0] = static_cast<char>(bytes[0] ^ 1); }
void FlipLastBit(std::string& bytes) { bytes.back() = static_cast<char>(bytes.back() ^ 1); }

TEST_F(Envelope, TamperingWithAnyFieldFailsWithDataLoss) {
  const std::string bad_wrap = "wrapped data key does not authenticate under key \"k1\"";
  const std::string bad_ciphertext = "ciphertext does not authenticate";
  const std::vector<Tampering> cases = {
      {"key id names another key in the keyring", [](SealedValue& s) { s.key_id = "k2"; },
       "wrapped data key does not authenticate under key \"k2\""},
      {"key id names no key", [](SealedValue& s) { s.key_id = "k9"; }, "key \"k9\", which is not in the keyring"},
      {"key id holds the plaintext", [](SealedValue& s) { s.key_id = kPlaintext; },
       "key (malformed id), which is not in the keyring"},
      {"wrap nonce changed", [](SealedValue& s) { FlipFirstBit(s.wrapped_key); }, bad_wrap},
      {"wrapped key tag changed", [](SealedValue& s) { FlipLastBit(s.wrapped_key); }, bad_wrap},
      {"wrapped key truncated", [](SealedValue& s) { s.wrapped_key.pop_back(); },
       "wrappedKey must be 60 bytes, got 59"},
      {"nonce changed", [](SealedValue& s) { FlipFirstBit(s.nonce); }, bad_ciphertext},
      {"nonce truncated", [](SealedValue& s) { s.nonce.pop_back(); }, "nonce must be 12 bytes, got 11"},
      {"ciphertext changed", [](SealedValue& s) { FlipFirstBit(s.ciphertext); }, bad_ciphertext},
      {"ciphertext tag changed", [](SealedValue& s) { FlipLastBit(s.ciphertext); }, bad_ciphertext},
      {"ciphertext truncated", [](SealedValue& s) { s.ciphertext.resize(s.ciphertext.size() - 17); }, bad_ciphertext},
      {"ciphertext extended", [](SealedValue& s) { s.ciphertext.push_back('x'); }, bad_ciphertext},
      {"ciphertext emptied", [](SealedValue& s) { s.ciphertext.clear(); }, bad_ciphertext},
  };
  const Keyring both = MakeKeyring("k1", {{"k1", KeyBytes('1')}, {"k2", KeyBytes('2')}});
  for (const Tampering& c : cases) {
    SCOPED_TRACE(c.name);
    SealedValue sealed = SealOrDie(both);
    c.tamper(sealed);
    ExpectDataLoss(Open(both, sealed, kAssociatedData).status(), c.expected_message);
  }
}

TEST_F(Envelope, ValueMovedToAnotherObjectDoesNotOpen) {
  const SealedValue sealed = SealOrDie(k1_only_);
  for (const std::string& elsewhere :
       {AssociatedDataFor("project-b", "db-password"), AssociatedDataFor("project-a", "db-password-copy"),
        AssociatedDataFor("project-a/db", "password"), std::string()}) {
    SCOPED_TRACE(elsewhere);
    ExpectDataLoss(Open(k1_only_, sealed, elsewhere).status(), "wrapped data key does not authenticate");
  }
}

TEST_F(Envelope, AssociatedDataNamesGroupVersionKindNamespaceAndName) {
  EXPECT_EQ(AssociatedDataFor("ns", "name"), "kernelsecrets.dev/v1alpha1/Secret/ns/name");
}

TEST_F(Envelope, NeedsRewrapOnlyWhenNotUnderTheActiveKey) {
  const SealedValue sealed = SealOrDie(k1_only_);
  EXPECT_FALSE(NeedsRewrap(k1_only_, sealed));
  EXPECT_TRUE(NeedsRewrap(rotated_, sealed));
}

TEST_F(Envelope, RewrapMovesTheValueToTheActiveKeySoTheOldKeyCanBeRemoved) {
  const SealedValue sealed = SealOrDie(k1_only_);
  StatusOr<SealedValue> rewrapped = Rewrap(rotated_, sealed, kAssociatedData);
  ASSERT_TRUE(rewrapped.ok()) << rewrapped.status().ToString();

  EXPECT_EQ(rewrapped->key_id, "k2");
  EXPECT_NE(rewrapped->wrapped_key, sealed.wrapped_key);
  EXPECT_EQ(rewrapped->nonce, sealed.nonce);
  EXPECT_EQ(rewrapped->ciphertext, sealed.ciphertext);
  EXPECT_EQ(rewrapped->sealed_at, sealed.sealed_at);
  EXPECT_EQ(ContentFingerprint(*rewrapped), ContentFingerprint(sealed));
  EXPECT_FALSE(NeedsRewrap(rotated_, *rewrapped));

  StatusOr<std::string> opened = Open(k2_only_, *rewrapped, kAssociatedData);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, kPlaintext);
  ExpectDataLoss(Open(k2_only_, sealed, kAssociatedData).status(), "key \"k1\", which is not in the keyring");
}

TEST_F(Envelope, RewrapUnderTheActiveKeyChangesNothing) {
  const SealedValue sealed = SealOrDie(rotated_);
  StatusOr<SealedValue> rewrapped = Rewrap(rotated_, sealed, kAssociatedData);
  ASSERT_TRUE(rewrapped.ok()) << rewrapped.status().ToString();
  EXPECT_EQ(*rewrapped, sealed);
}

TEST_F(Envelope, RewrapRefusesWhatDoesNotAuthenticate) {
  const SealedValue sealed = SealOrDie(k1_only_);
  ExpectDataLoss(Rewrap(rotated_, sealed, AssociatedDataFor("project-b", "db-password")).status(),
                 "wrapped data key does not authenticate");
  ExpectDataLoss(Rewrap(k2_only_, sealed, kAssociatedData).status(), "key \"k1\", which is not in the keyring");
}

TEST_F(Envelope, ContentFingerprintIsSha256OfNonceAndCiphertext) {
  // SHA-256("abc"), split across the two fields.
  SealedValue sealed;
  sealed.nonce = "a";
  sealed.ciphertext = "bc";
  EXPECT_EQ(ContentFingerprint(sealed), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(Envelope, JsonUsesTheCrdFieldNamesAndRoundTrips) {
  const SealedValue sealed = SealOrDie(k1_only_);
  const nlohmann::json json = ToJson(sealed);
  EXPECT_EQ(json.at("keyId"), "k1");
  EXPECT_EQ(json.at("wrappedKey"), Base64Encode(sealed.wrapped_key));
  EXPECT_EQ(json.at("nonce"), Base64Encode(sealed.nonce));
  EXPECT_EQ(json.at("ciphertext"), Base64Encode(sealed.ciphertext));
  EXPECT_EQ(json.at("sealedAt"), sealed.sealed_at);
  EXPECT_EQ(json.size(), 5u);

  StatusOr<SealedValue> parsed = SealedValueFromJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, sealed);
}

TEST_F(Envelope, JsonWithAMissingOrMalformedFieldIsRefusedByName) {
  const nlohmann::json good = ToJson(SealOrDie(k1_only_));
  struct Case {
    std::string field;
    nlohmann::json value;  // null: remove the field
    std::string expected_message;
  };
  for (const Case& c : std::vector<Case>{{"keyId", nullptr, "keyId must be a string"},
                                         {"sealedAt", 5, "sealedAt must be a string"},
                                         {"wrappedKey", "not base64!", "wrappedKey is not valid base64"},
                                         {"nonce", nullptr, "nonce must be a string"},
                                         {"ciphertext", "YQ", "ciphertext is not valid base64"}}) {
    SCOPED_TRACE(c.field);
    nlohmann::json json = good;
    if (c.value.is_null()) {
      json.erase(c.field);
    } else {
      json[c.field] = c.value;
    }
    StatusOr<SealedValue> parsed = SealedValueFromJson(json);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(c.expected_message), std::string::npos) << parsed.status().message();
  }
  EXPECT_FALSE(SealedValueFromJson(nlohmann::json::array()).ok());
}

}  // namespace
}  // namespace ks::crypto
