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
                             WorkKey{WorkKind::kCommunity, "", "c"}, WorkKey{WorkKind::kSecretName, "", "TOKEN"}}) {
    std::optional<WorkKey> decoded = DecodeWorkKey(key.Encode());
    ASSERT_TRUE(decoded) << key.Encode();
    EXPECT_EQ(decoded->Encode(), key.Encode());
    EXPECT_EQ(decoded->kind, key.kind);
    EXPECT_TRUE(key.Encode().starts_with(std::string(KindName(key.kind)) + ":")) << "metrics name the kind as keys do";
  }
}

TEST(WorkKeys, MalformedKeysAreRejected) {
  EXPECT_FALSE(DecodeWorkKey("secret:no-slash"));
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

TEST(WorkKeys, SecretChangeTouchesTheSecretAndEverySecretWithItsNames) {
  json before = {{"metadata", {{"namespace", "a"}, {"name", "s"}}}, {"spec", {{"name", "OLD"}}}};
  json after = before;
  after["spec"]["name"] = "NEW";
  EXPECT_THAT(Encoded(KeysForSecretChange(&before, &after)),
              UnorderedElementsAre("secret:a/s", "name:OLD", "name:NEW"));
  EXPECT_THAT(Encoded(KeysForSecretChange(&after, &after)), UnorderedElementsAre("secret:a/s", "name:NEW"));
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
