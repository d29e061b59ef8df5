// The typed views of stored objects, and the shortcut that compares a secret's name in place.
#include <gtest/gtest.h>

#include "core/api/resources.h"

namespace ks::api {
namespace {

using nlohmann::json;

TEST(SecretViews, HasSpecNameAgreesWithTheView) {
  const std::vector<json> secrets = {
      {{"spec", {{"name", "TOKEN"}}}},
      {{"spec", {{"name", 7}}}},  // not a string: the view reads it as empty
      {{"spec", json::object()}},
      {{"spec", "not an object"}},
      json::object(),
  };
  for (const json& secret : secrets) {
    for (const char* name : {"TOKEN", "", "OTHER"}) {
      EXPECT_EQ(HasSpecName(secret, name), ViewSecret(secret).spec_name == name) << secret.dump() << " " << name;
    }
  }
}

const json kEncrypted = {{"keyId", "k1"}, {"nonce", "bm9uY2U="}, {"ciphertext", "Y2lwaGVy"}};

TEST(SecretViews, EncryptedReadsTheSameFromATreeAndFromItsText) {
  const json served = {{"spec", {{"name", "TOKEN"}, {"encrypted", kEncrypted}}}};
  const json cached = {{"spec", {{"name", "TOKEN"}, {"encrypted", kEncrypted.dump()}}}};
  EXPECT_EQ(ViewSecret(served).encrypted, kEncrypted.dump());
  EXPECT_EQ(ViewSecret(cached).encrypted, kEncrypted.dump());
  EXPECT_EQ(EncryptedJson(ViewSecret(cached)), kEncrypted);
}

TEST(SecretViews, NoEncryptedIsEmptyTextAndNullJson) {
  for (const json& secret : {json{{"spec", {{"name", "TOKEN"}}}}, json{{"spec", {{"encrypted", nullptr}}}}}) {
    const SecretView view = ViewSecret(secret);
    EXPECT_TRUE(view.encrypted.empty()) << secret.dump();
    EXPECT_TRUE(EncryptedJson(view).is_null()) << secret.dump();
  }
}

TEST(SecretViews, EncryptedTextThatIsNotJsonParsesAsNull) {
  SecretView view;
  view.encrypted = "{not json";
  EXPECT_TRUE(EncryptedJson(view).is_null());
}

TEST(SecretViews, EncryptedOfAnotherTypeKeepsItsJsonSoThatItStaysMalformed) {
  EXPECT_EQ(EncryptedText(json::array({1, 2})), "[1,2]");
  EXPECT_EQ(EncryptedText(7), "7");
  EXPECT_EQ(EncryptedText(nullptr), "");
}

}  // namespace
}  // namespace ks::api
