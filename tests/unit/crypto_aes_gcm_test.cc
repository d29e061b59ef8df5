#include <gtest/gtest.h>

#include <string>

#include "core/crypto/aes_gcm.h"

namespace ks::crypto {
namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex.push_back(kHex[c >> 4]);
    hex.push_back(kHex[c & 0xf]);
  }
  return hex;
}

SecretKey ZeroKey() { return SecretKey::FromBytes(std::string(SecretKey::kSize, '\0')).value(); }
const std::string kZeroNonce(aes_gcm::kNonceSize, '\0');

// Test cases 13 and 14 of McGrew and Viega's GCM specification (AES-256, zero key and IV).
TEST(AesGcm, MatchesPublishedTestVectors) {
  StatusOr<std::string> empty = aes_gcm::Encrypt(ZeroKey(), kZeroNonce, "", "");
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(Hex(*empty), "530f8afbc74536b9a963b4f1c4cb738b");

  StatusOr<std::string> block = aes_gcm::Encrypt(ZeroKey(), kZeroNonce, std::string(16, '\0'), "");
  ASSERT_TRUE(block.ok()) << block.status().ToString();
  EXPECT_EQ(Hex(*block), "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919");
}

TEST(AesGcm, DecryptInvertsEncryptWithTheSameAssociatedData) {
  StatusOr<std::string> sealed = aes_gcm::Encrypt(ZeroKey(), kZeroNonce, "value", "aad");
  ASSERT_TRUE(sealed.ok());
  StatusOr<std::string> opened = aes_gcm::Decrypt(ZeroKey(), kZeroNonce, *sealed, "aad");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "value");

  StatusOr<std::string> other_aad = aes_gcm::Decrypt(ZeroKey(), kZeroNonce, *sealed, "aae");
  ASSERT_FALSE(other_aad.ok());
  EXPECT_EQ(other_aad.status().code(), StatusCode::kDataLoss);
}

TEST(AesGcm, RefusesNonceOfWrongSize) {
  StatusOr<std::string> sealed = aes_gcm::Encrypt(ZeroKey(), std::string(16, '\0'), "value", "");
  ASSERT_FALSE(sealed.ok());
  EXPECT_EQ(sealed.status().code(), StatusCode::kInvalidArgument);
}

TEST(AesGcm, SealedInputShorterThanTagDoesNotAuthenticate) {
  StatusOr<std::string> opened = aes_gcm::Decrypt(ZeroKey(), kZeroNonce, std::string(15, '\0'), "");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace ks::crypto
