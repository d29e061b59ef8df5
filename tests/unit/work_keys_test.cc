#include "operator/work_keys.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ks::op {
namespace {

using nlohmann::json;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Encoded(const std::vector<WorkKey>& keys) {
  std::vector<std::string> out;
  for (const WorkKey& k : keys) out.push_back(k.Encode());
  return out;
}

TEST(WorkKeys, EveryKindRoundTrips) {
  for (const WorkKey& key : {WorkKey{WorkKind::kProject, "p", ""}, WorkKey{WorkKind::kNamespace, "p", ""},
                             WorkKey{WorkKind::kSecret, "p", "s"}, WorkKey{WorkKind::kShare, "p", "s"},
                             WorkKey{WorkKind::kCommunity, "", "c"}, WorkKey{WorkKind::kSecretName, "p", "TOKEN"}}) {
    std::optional<WorkKey> decoded = DecodeWorkKey(key.Encode());
    ASSERT_TRUE(decoded) << key.Encode();
    EXPECT_EQ(decoded->Encode(), key.Encode());
    EXPECT_EQ(decoded->kind, key.kind);
    EXPECT_TRUE(key.Encode().starts_with(std::string(KindName(key.kind)) + ":")) << "metrics name the kind as keys do";
  }
}

TEST(WorkKeys, MalformedKeysAreRejected) {
  EXPECT_FALSE(DecodeWorkKey("secret:no-slash"));
  EXPECT_FALSE(DecodeWorkKey("name:TOKEN")) << "a name key says where the secret is";
  EXPECT_FALSE(DecodeWorkKey("unknown:x"));
}

TEST(WorkKeys, NamespaceMovingBetweenCommunitiesTouchesBoth) {
  json before = {
      {"metadata",
       {{"name", "p"}, {"labels", {{"kernelsecrets.dev/project", "true"}, {"kernelsecrets.dev/community", "c1"}}}}}};
  json after = before;
  after["metadata"]["labels"]["kernelsecrets.dev/community"] = "c2";
  EXPECT_THAT(Encoded(KeysForNamespaceChange(&before, &after)),
              UnorderedElementsAre("namespace:p", "community:c1", "community:c2"));
}

TEST(WorkKeys, ShareChangeTouchesShareSecretAndCommunity) {
  json share = {{"metadata", {{"namespace", "a"}, {"name", "sh"}}},
                {"spec", {{"secretName", "token"}, {"community", "c"}}}};
  EXPECT_THAT(Encoded(KeysForShareChange(nullptr, &share)),
              UnorderedElementsAre("share:a/sh", "secret:a/token", "community:c"));
}

json SecretCr(std::string spec_name) {
  return {{"metadata",
           {{"namespace", "a"},
            {"name", "s"},
            {"uid", "u1"},
            {"resourceVersion", "1"},
            {"creationTimestamp", "2026-01-01T00:00:00Z"}}},
          {"spec", {{"name", std::move(spec_name)}, {"encrypted", {{"ciphertext", "opaque"}}}}}};
}

TEST(WorkKeys, SecretComingOrGoingTouchesTheSecretsItCompetesWith) {
  const json secret = SecretCr("TOKEN");
  EXPECT_THAT(Encoded(KeysForSecretChange(nullptr, &secret)), UnorderedElementsAre("project:a", "name:a/TOKEN"));
  EXPECT_THAT(Encoded(KeysForSecretChange(&secret, nullptr)), UnorderedElementsAre("project:a", "name:a/TOKEN"));
}

TEST(WorkKeys, RenamedSecretTouchesTheSecretsOfBothNames) {
  const json before = SecretCr("OLD");
  const json after = SecretCr("NEW");
  EXPECT_THAT(Encoded(KeysForSecretChange(&before, &after)), UnorderedElementsAre("project:a", "name:a/OLD", "name:a/NEW"));
}

TEST(WorkKeys, SecretStartingToBeDeletedOrLosingItsContentTouchesItsRivals) {
  const json before = SecretCr("TOKEN");
  json deleting = before;
  deleting["metadata"]["deletionTimestamp"] = "2026-01-02T00:00:00Z";
  EXPECT_THAT(Encoded(KeysForSecretChange(&before, &deleting)), UnorderedElementsAre("project:a", "name:a/TOKEN"));
  json emptied = before;
  emptied["spec"].erase("encrypted");
  EXPECT_THAT(Encoded(KeysForSecretChange(&before, &emptied)), UnorderedElementsAre("project:a", "name:a/TOKEN"));
}

TEST(WorkKeys, NewContentOrFinalizerTouchesTheSecretAndItsProjectOnly) {
  const json before = SecretCr("TOKEN");
  json edited = before;
  edited["spec"]["encrypted"]["ciphertext"] = "other";
  edited["metadata"]["resourceVersion"] = "2";
  EXPECT_THAT(Encoded(KeysForSecretChange(&before, &edited)), UnorderedElementsAre("project:a", "secret:a/s"));
  json finalized = before;
  finalized["metadata"]["finalizers"] = {"kernelsecrets.dev/finalizer"};
  EXPECT_THAT(Encoded(KeysForSecretChange(&before, &finalized)), UnorderedElementsAre("project:a", "secret:a/s"));
}

TEST(WorkKeys, StatusWriteTouchesNothing) {
  const json before = SecretCr("TOKEN");
  json after = before;
  after["status"] = {{"observedGeneration", 1}};
  after["metadata"]["resourceVersion"] = "2";
  after["metadata"]["managedFields"] = json::array({{{"manager", "kernel-secrets-operator"}}});
  EXPECT_THAT(KeysForSecretChange(&before, &after), IsEmpty());
}

TEST(WorkKeys, SecretWithoutSpecNameTouchesItselfOnly) {
  const json nameless = SecretCr("");
  EXPECT_THAT(Encoded(KeysForSecretChange(nullptr, &nameless)), UnorderedElementsAre("project:a", "secret:a/s"));
}

TEST(WorkKeys, NativeSecretChangeLooksAtItsProject) {
  json native = {{"metadata", {{"namespace", "a"}, {"name", "kernel-secrets"}}}};
  EXPECT_THAT(Encoded(KeysForNativeSecretChange(nullptr, &native)), UnorderedElementsAre("project:a"));
}

json NotebookServer(std::string revision, std::string delivery = "volume") {
  return {
      {"metadata",
       {{"namespace", "a"},
        {"name", "jupyter-ada"},
        {"annotations",
         {{"kernelsecrets.dev/revision", std::move(revision)}, {"kernelsecrets.dev/delivery", std::move(delivery)}}}}}};
}

TEST(WorkKeys, ANotebookServerIsLookedAtWhenNewOrWhenItsRevisionMoved) {
  const json created = NotebookServer("r1");
  const json refreshed = NotebookServer("r2");
  EXPECT_THAT(Encoded(KeysForNotebookServerChange(nullptr, &created)), UnorderedElementsAre("project:a"));
  EXPECT_THAT(Encoded(KeysForNotebookServerChange(&created, &refreshed)), UnorderedElementsAre("project:a"));
}

TEST(WorkKeys, ANotebookServerIsNotLookedAtForOtherChangesOrWithoutTheVolume) {
  const json server = NotebookServer("r1");
  json status_changed = server;
  status_changed["metadata"]["resourceVersion"] = "2";
  EXPECT_THAT(KeysForNotebookServerChange(&server, &status_changed), IsEmpty());
  EXPECT_THAT(KeysForNotebookServerChange(&server, nullptr), IsEmpty()) << "deleted: nothing to refresh";
  const json not_injected = NotebookServer("r1", "");
  EXPECT_THAT(KeysForNotebookServerChange(nullptr, &not_injected), IsEmpty());
}

}  // namespace
}  // namespace ks::op
