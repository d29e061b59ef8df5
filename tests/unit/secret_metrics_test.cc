// The scrape-time counts over cached Secret CRs: values per key id (rotation progress) and
// secrets that do not decrypt.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "operator/cache_transforms.h"
#include "operator/secret_metrics.h"

namespace ks::op {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

ClusterCache::Object Secret(const nlohmann::json& encrypted, const std::string& decrypt_failed = "False") {
  nlohmann::json object = {{"metadata", {{"namespace", "p"}, {"name", "s"}}}, {"spec", {{"name", "TOKEN"}}}};
  if (!encrypted.is_null()) object["spec"]["encrypted"] = encrypted;
  object["status"]["conditions"] = {{{"type", "Ready"}, {"status", "True"}},
                                    {{"type", "DecryptFailed"}, {"status", decrypt_failed}}};
  return std::make_shared<const nlohmann::json>(std::move(object));
}

TEST(SecretCounts, CountsValuesPerKeyIdAndSecretsThatDoNotDecrypt) {
  const SecretCounts counts = CountSecrets({
      Secret({{"keyId", "k2"}}),
      Secret({{"keyId", "k1"}}, "True"),
      Secret({{"keyId", "k2"}}),
      Secret(nullptr, "True"),  // no ciphertext at all: stored past the webhooks
  });
  EXPECT_THAT(counts.by_key_id, ElementsAre(Pair("k1", 1), Pair("k2", 2)));
  EXPECT_EQ(counts.decrypt_failed, 2);
}

TEST(SecretCounts, CountTheSameOverSecretsAsTheCacheKeepsThem) {
  std::vector<ClusterCache::Object> served = {Secret({{"keyId", "k1"}}), Secret({{"keyId", "k2"}}, "True"),
                                              Secret(nullptr, "True")};
  std::vector<ClusterCache::Object> cached;
  for (const ClusterCache::Object& secret : served) {
    nlohmann::json object = *secret;
    TrimSecret(object);
    cached.push_back(std::make_shared<const nlohmann::json>(std::move(object)));
  }
  const SecretCounts counts = CountSecrets(cached);
  EXPECT_EQ(counts.by_key_id, CountSecrets(served).by_key_id);
  EXPECT_THAT(counts.by_key_id, ElementsAre(Pair("k1", 1), Pair("k2", 1)));
  EXPECT_EQ(counts.decrypt_failed, 2);
}

TEST(SecretCounts, AMalformedKeyIdIsNoLabelValue) {
  const SecretCounts counts = CountSecrets({
      Secret({{"keyId", "bad id\n{}"}}),
      Secret({{"keyId", 7}}),
      Secret({{"keyId", "k1"}}),
  });
  EXPECT_THAT(counts.by_key_id, ElementsAre(Pair("k1", 1)));
}

TEST(SecretCounts, AStatusWithoutConditionsCountsAsDecrypting) {
  auto object = std::make_shared<const nlohmann::json>(
      nlohmann::json{{"spec", {{"encrypted", {{"keyId", "k1"}}}}}, {"status", "not an object"}});
  EXPECT_EQ(CountSecrets({object}).decrypt_failed, 0);
}

}  // namespace
}  // namespace ks::op
