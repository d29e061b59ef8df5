#include <gtest/gtest.h>

#include "core/common/encoding.h"
#include "core/crypto/keyring.h"
#include "crypto_test_util.h"

namespace ks::crypto {
namespace {

using testing::KeyBytes;
using testing::KeyringYaml;
using testing::RevealsNoKey;

TEST(Keyring, ParsesKeysAndActiveId) {
  StatusOr<Keyring> keyring = Keyring::Parse(KeyringYaml("k2", {{"k1", KeyBytes('1')}, {"k2", KeyBytes('2')}}));
  ASSERT_TRUE(keyring.ok()) << keyring.status().ToString();
  EXPECT_EQ(keyring->active_id(), "k2");
  EXPECT_EQ(keyring->active_key().view(), KeyBytes('2'));
  ASSERT_NE(keyring->Find("k1"), nullptr);
  EXPECT_EQ(keyring->Find("k1")->view(), KeyBytes('1'));
  EXPECT_EQ(keyring->Find("k3"), nullptr);
  EXPECT_EQ(keyring->ids(), (std::vector<std::string>{"k1", "k2"}));
}

TEST(Keyring, AcceptsSecretInLiteralBlockWithTrailingNewline) {
  const std::string yaml = "active: k1\nkeys:\n  - id: k1\n    secret: |\n      " + Base64Encode(KeyBytes('1')) + "\n";
  StatusOr<Keyring> keyring = Keyring::Parse(yaml);
  ASSERT_TRUE(keyring.ok()) << keyring.status().ToString();
  EXPECT_EQ(keyring->active_key().view(), KeyBytes('1'));
}

struct ParseErrorCase {
  std::string name;
  std::string yaml;
  std::string expected_message;
  // Shown by gtest and ctest for the case: its name, not the bytes of the struct.
  friend void PrintTo(const ParseErrorCase& c, std::ostream* os) { *os << c.name; }
};

// Every document below carries the secret of KeyBytes('S'); no error message may reveal it.
std::vector<ParseErrorCase> ParseErrorCases() {
  const std::string good = Base64Encode(KeyBytes('S'));
  const std::string entry = "  - id: k1\n    secret: " + good + "\n";
  return {
      {"NotAMap", "- " + good + "\n", "the document must be a map with `active` and `keys`"},
      {"InvalidYaml", "active: [k1\nkeys:\n" + entry, "not valid YAML at line"},
      {"MissingActive", "keys:\n" + entry, "active is missing"},
      {"ActiveNotAString", "active: [k1]\nkeys:\n" + entry, "active must be a string"},
      {"ActiveNotAmongKeys", "active: k2\nkeys:\n" + entry, "active key \"k2\" is not among keys"},
      {"ActiveHoldsASecretByMistake", "active: " + good + "\nkeys:\n" + entry, "active must name one of the key ids"},
      {"MissingKeys", "active: k1\n", "keys must be a non-empty list"},
      {"EmptyKeys", "active: k1\nkeys: []\n", "keys must be a non-empty list"},
      {"KeysNotAList", "active: k1\nkeys:\n  k1: " + good + "\n", "keys must be a non-empty list"},
      {"EntryNotAMap", "active: k1\nkeys:\n  - " + good + "\n", "keys[0] must be a map with `id` and `secret`"},
      {"MissingId", "active: k1\nkeys:\n  - secret: " + good + "\n", "keys[0].id is missing"},
      {"IdWithUpperCase", "active: K1\nkeys:\n  - id: K1\n    secret: " + good + "\n",
       "keys[0].id must be 1 to 32 characters of lower-case letters, digits and hyphens"},
      {"IdWithUnderscore", "active: k_1\nkeys:\n  - id: k_1\n    secret: " + good + "\n", "keys[0].id must be 1 to 32"},
      {"IdTooLong", "active: k1\nkeys:\n  - id: " + std::string(33, 'k') + "\n    secret: " + good + "\n",
       "keys[0].id must be 1 to 32"},
      {"DuplicateId", "active: k1\nkeys:\n" + entry + entry, "key id \"k1\" appears more than once"},
      {"MissingSecret", "active: k1\nkeys:\n  - id: k1\n", "keys[0].secret is missing"},
      {"SecretNotBase64", "active: k1\nkeys:\n  - id: k1\n    secret: " + good.substr(0, 20) + "!!!" + "\n",
       "keys[0].secret is not valid base64"},
      {"SecretTooShort",
       "active: k1\nkeys:\n  - id: k1\n    secret: " + Base64Encode(KeyBytes('S').substr(0, 16)) + "\n",
       "keys[0].secret: a key must be exactly 32 bytes, got 16"},
      {"SecretTooLong", "active: k1\nkeys:\n  - id: k1\n    secret: " + Base64Encode(KeyBytes('S') + "S") + "\n",
       "keys[0].secret: a key must be exactly 32 bytes, got 33"},
  };
}

class KeyringParseError : public ::testing::TestWithParam<ParseErrorCase> {};

TEST_P(KeyringParseError, IsRefusedWithAClearMessageThatRevealsNoKey) {
  StatusOr<Keyring> keyring = Keyring::Parse(GetParam().yaml);
  ASSERT_FALSE(keyring.ok());
  EXPECT_EQ(keyring.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(keyring.status().message().find(GetParam().expected_message), std::string::npos)
      << keyring.status().message();
  EXPECT_TRUE(keyring.status().message().starts_with("keyring: ")) << keyring.status().message();
  EXPECT_TRUE(RevealsNoKey(keyring.status().message(), KeyBytes('S'))) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(Cases, KeyringParseError, ::testing::ValuesIn(ParseErrorCases()),
                         [](const auto& info) { return info.param.name; });

TEST(KeyId, AllowsOneToThirtyTwoLowerCaseLettersDigitsAndHyphens) {
  for (const std::string& id : std::vector<std::string>{"k", "k1", "2024-06-01", std::string(32, 'a')}) {
    EXPECT_TRUE(IsValidKeyId(id)) << id;
  }
  for (const std::string& id : std::vector<std::string>{"", "K1", "k_1", "k.1", "k 1", std::string(33, 'a')}) {
    EXPECT_FALSE(IsValidKeyId(id)) << id;
  }
}

}  // namespace
}  // namespace ks::crypto
