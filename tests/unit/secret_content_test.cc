// Reading a Secret custom resource's content from its view, whichever form the object came in.
#include "operator/secret_content.h"

#include <gtest/gtest.h>

#include "tests/unit/crypto_test_util.h"

namespace ks::op {
namespace {

using nlohmann::json;

const crypto::Keyring& TestKeyring() {
  static const crypto::Keyring keyring = crypto::testing::MakeKeyring("k1", {{"k1", crypto::testing::KeyBytes('1')}});
  return keyring;
}

json SecretSealedWith(const crypto::SealedValue& sealed) {
  return {{"metadata", {{"namespace", "p"}, {"name", "s"}}}, {"spec", {{"encrypted", crypto::ToJson(sealed)}}}};
}

TEST(SecretContent, SealedContentOfAViewIsWhatWasStored) {
  StatusOr<crypto::SealedValue> sealed = SealContent(TestKeyring(), "value", {"p", "s"});
  ASSERT_TRUE(sealed.ok());
  StatusOr<crypto::SealedValue> read = SealedContent(api::ViewSecret(SecretSealedWith(*sealed)));
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(crypto::ToJson(*read), crypto::ToJson(*sealed));
}

TEST(SecretContent, SealedContentOfAViewWithoutContentOrWithMalformedContentIsAnError) {
  api::SecretView view;
  EXPECT_FALSE(SealedContent(view).ok()) << "no spec.encrypted";
  view.encrypted = "{not json";
  EXPECT_FALSE(SealedContent(view).ok());
  view.encrypted = R"({"keyId":"k1"})";
  EXPECT_FALSE(SealedContent(view).ok());
}

TEST(SecretContent, OpenContentTellsMissingFromMalformed) {
  api::SecretView view;
  view.key = {"p", "s"};
  EXPECT_EQ(OpenContent(TestKeyring(), view).status().message(), "spec.encrypted is missing");
  view.encrypted = "[]";
  EXPECT_TRUE(OpenContent(TestKeyring(), view).status().message().starts_with("spec.encrypted is malformed"));
}

TEST(SecretContent, OpenContentReadsTheCachedTextForm) {
  StatusOr<crypto::SealedValue> sealed = SealContent(TestKeyring(), "value", {"p", "s"});
  ASSERT_TRUE(sealed.ok());
  json cached = SecretSealedWith(*sealed);
  cached["spec"]["encrypted"] = cached["spec"]["encrypted"].dump();
  StatusOr<std::string> plaintext = OpenContent(TestKeyring(), api::ViewSecret(cached));
  ASSERT_TRUE(plaintext.ok()) << plaintext.status().ToString();
  EXPECT_EQ(*plaintext, "value");
}

}  // namespace
}  // namespace ks::op
