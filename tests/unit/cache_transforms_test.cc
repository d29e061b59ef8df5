#include "operator/cache_transforms.h"

#include <gtest/gtest.h>

#include "core/api/resources.h"

namespace ks::op {
namespace {

using nlohmann::json;

json Identity() { return {{"namespace", "p"}, {"name", "s"}, {"uid", "u"}, {"resourceVersion", "7"}}; }

json Written(json metadata) {
  metadata["managedFields"] = json::array({{{"manager", "kubectl"}, {"fieldsV1", {{"f:spec", json::object()}}}}});
  return metadata;
}

TEST(CacheTransforms, CustomResourceLosesItsWriteRecordsAndKeepsSpecStatusAndOtherAnnotations) {
  json metadata = Written(Identity());
  metadata["annotations"] = {{"kubectl.kubernetes.io/last-applied-configuration", "{\"spec\":{}}"},
                             {"kernelsecrets.dev/created-by", "ada"}};
  json object = {{"metadata", metadata}, {"spec", {{"name", "TOKEN"}}}, {"status", {{"observedGeneration", 1}}}};
  TrimWriteRecords(object);

  json expected_metadata = Identity();
  expected_metadata["annotations"] = {{"kernelsecrets.dev/created-by", "ada"}};
  EXPECT_EQ(object, (json{{"metadata", expected_metadata},
                          {"spec", {{"name", "TOKEN"}}},
                          {"status", {{"observedGeneration", 1}}}}));
}

TEST(CacheTransforms, SecretKeepsItsStatusAsTextThatReadsBackTheSame) {
  const json status = {{"observedGeneration", 3},
                       {"conditions", {{{"type", "Ready"}, {"status", "True"}, {"message", "visible in 2 projects"}}}}};
  json object = {{"metadata", Written(Identity())}, {"spec", {{"name", "TOKEN"}}}, {"status", status}};
  TrimSecret(object);

  EXPECT_EQ(object["metadata"], Identity()) << "the write records go too";
  EXPECT_EQ(object["spec"], (json{{"name", "TOKEN"}}));
  ASSERT_TRUE(object["status"].is_string());
  EXPECT_EQ(CachedSecretStatus(object), status);
}

TEST(CacheTransforms, SecretKeepsItsEncryptedContentAsTextThatViewsReadTheSame) {
  const json encrypted = {{"keyId", "k1"}, {"nonce", "bm9uY2U="}, {"ciphertext", "Y2lwaGVy"}, {"sealedAt", "t"}};
  const json served = {{"metadata", Identity()},
                       {"spec", {{"name", "TOKEN"}, {"encrypted", encrypted}, {"copyFrom", {{"name", "a"}}}}}};
  json object = served;
  TrimSecret(object);

  ASSERT_TRUE(object["spec"]["encrypted"].is_string());
  EXPECT_EQ(object["spec"]["name"], "TOKEN") << "the rest of the spec stays a tree";
  EXPECT_TRUE(object["spec"]["copyFrom"].is_object());
  const api::SecretView cached_view = api::ViewSecret(object);
  const api::SecretView served_view = api::ViewSecret(served);
  EXPECT_EQ(cached_view.encrypted, served_view.encrypted);
  EXPECT_EQ(api::EncryptedJson(cached_view), encrypted);
  EXPECT_EQ(cached_view.copy_from, served_view.copy_from);
}

TEST(CacheTransforms, SecretWithoutEncryptedContentKeepsItsSpec) {
  const json spec = {{"name", "TOKEN"}, {"value", "stored past the webhooks"}};
  json object = {{"metadata", Identity()}, {"spec", spec}};
  TrimSecret(object);
  EXPECT_EQ(object["spec"], spec);
  EXPECT_TRUE(api::ViewSecret(object).has_plaintext);
}

TEST(CacheTransforms, ASecretStatusReadsTheSameFromAnObjectThatWasNotTransformed) {
  const json status = {{"observedGeneration", 1}};
  EXPECT_EQ(CachedSecretStatus(json{{"status", status}}), status);
  EXPECT_EQ(CachedSecretStatus(json{{"spec", json::object()}}), json::object()) << "no status";
  EXPECT_EQ(CachedSecretStatus(json{{"status", "not json"}}), json::object());
  EXPECT_EQ(CachedSecretStatus(json{{"status", 7}}), json::object());
}

TEST(CacheTransforms, AnnotationsLeftEmptyGo) {
  json metadata = Identity();
  metadata["annotations"] = {{"kubectl.kubernetes.io/last-applied-configuration", "{}"}};
  json object = {{"metadata", metadata}};
  TrimWriteRecords(object);
  EXPECT_EQ(object, (json{{"metadata", Identity()}}));
}

TEST(CacheTransforms, NativeSecretKeepsItsDataAndEveryAnnotation) {
  json metadata = Written(Identity());
  metadata["annotations"] = {{"kubectl.kubernetes.io/last-applied-configuration", "{}"}, {"team", "x"}};
  json object = {{"metadata", metadata}, {"data", {{"TOKEN", "dmFsdWU="}}}, {"type", "Opaque"}};
  TrimNativeSecret(object);
  metadata.erase("managedFields");
  EXPECT_EQ(object, (json{{"metadata", metadata}, {"data", {{"TOKEN", "dmFsdWU="}}}, {"type", "Opaque"}}));
}

TEST(CacheTransforms, NamespaceKeepsOnlyItsIdentityAndLabels) {
  json metadata = Written(Identity());
  metadata["labels"] = {{"kernelsecrets.dev/project", "true"}};
  metadata["annotations"] = {{"openshift.io/description", "ours"}};
  json object = {{"metadata", metadata}, {"spec", {{"finalizers", {"kubernetes"}}}}, {"status", {{"phase", "Active"}}}};
  TrimNamespace(object);

  json expected_metadata = Identity();
  expected_metadata["labels"] = {{"kernelsecrets.dev/project", "true"}};
  EXPECT_EQ(object, (json{{"metadata", expected_metadata}}));
}

TEST(CacheTransforms, ObjectsWithoutMetadataAreLeftAlone) {
  json object = {{"kind", "Secret"}};
  TrimWriteRecords(object);
  TrimNativeSecret(object);
  EXPECT_EQ(object, (json{{"kind", "Secret"}}));
}

}  // namespace
}  // namespace ks::op
