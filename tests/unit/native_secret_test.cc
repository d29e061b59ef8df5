#include "operator/native_secret.h"

#include <gtest/gtest.h>

#include "core/api/constants.h"
#include "core/common/encoding.h"

namespace ks::op {
namespace {

const std::vector<NativeSecretEntry> kEntries = {{"TOKEN", "t0ps3cret", "f1"}, {"DB", "hunter2", "f2"}};

TEST(NativeSecret, HoldsEachValueUnderItsNameBase64Encoded) {
  json desired = DesiredNativeSecret("proj", kEntries);
  EXPECT_EQ(desired["metadata"]["name"], "kernel-secrets");
  EXPECT_EQ(desired["metadata"]["namespace"], "proj");
  EXPECT_EQ(desired["data"]["TOKEN"], "dDBwczNjcmV0");
  EXPECT_EQ(desired["data"]["DB"], "aHVudGVyMg==");
  EXPECT_EQ(desired["metadata"]["labels"][std::string(api::kManagedByLabel)], "kernel-secrets");
}

TEST(NativeSecret, RevisionIgnoresOrderAndNeverContainsValues) {
  std::vector<NativeSecretEntry> reversed(kEntries.rbegin(), kEntries.rend());
  EXPECT_EQ(RevisionOf(kEntries), RevisionOf(reversed));
  std::string annotations = DesiredNativeSecret("proj", kEntries)["metadata"]["annotations"].dump();
  EXPECT_EQ(annotations.find("t0ps3cret"), std::string::npos);
  EXPECT_EQ(annotations.find("hunter2"), std::string::npos);
}

TEST(NativeSecret, AnnotatesTheSortedNamesSoThatMetadataAloneTellsThem) {
  json desired = DesiredNativeSecret("proj", kEntries);
  EXPECT_EQ(desired["metadata"]["annotations"][std::string(api::kSecretNamesAnnotation)], "DB,TOKEN");
  EXPECT_EQ(DesiredNativeSecret("proj", {})["metadata"]["annotations"][std::string(api::kSecretNamesAnnotation)], "");
}

TEST(NativeSecret, StoredWithoutTheNamesAnnotationIsNotUpToDate) {
  // A native Secret an older operator wrote gets the annotation on the first resync.
  json desired = DesiredNativeSecret("proj", kEntries);
  json older = desired;
  older["metadata"]["annotations"].erase(std::string(api::kSecretNamesAnnotation));
  EXPECT_FALSE(NativeSecretUpToDate(older, desired));
}

TEST(NativeSecret, RevisionChangesWithNameOrContentButNotWithValueAlone) {
  const std::string base = RevisionOf(kEntries);
  EXPECT_NE(base, RevisionOf({{"TOKEN2", "t0ps3cret", "f1"}, {"DB", "hunter2", "f2"}}));
  EXPECT_NE(base, RevisionOf({{"TOKEN", "t0ps3cret", "f1-new"}, {"DB", "hunter2", "f2"}}));
  // The fingerprint, not the plaintext, identifies the content: the revision is no hash of a value.
  EXPECT_EQ(base, RevisionOf({{"TOKEN", "other", "f1"}, {"DB", "hunter2", "f2"}}));
}

TEST(NativeSecret, EmptyProjectStillGetsASecretWithARevision) {
  json desired = DesiredNativeSecret("proj", {});
  EXPECT_TRUE(desired["data"].is_object());
  EXPECT_TRUE(desired["data"].empty());
  EXPECT_FALSE(desired["metadata"]["annotations"][std::string(api::kRevisionAnnotation)].get<std::string>().empty());
}

TEST(NativeSecret, StoredCopyWithServerFieldsAndForeignLabelsIsUpToDate) {
  json desired = DesiredNativeSecret("proj", kEntries);
  json stored = desired;
  stored["metadata"]["resourceVersion"] = "42";
  stored["metadata"]["uid"] = "u";
  stored["metadata"]["labels"]["team"] = "x";
  stored["metadata"]["annotations"]["note"] = "kept";
  EXPECT_TRUE(NativeSecretUpToDate(stored, desired));
}

TEST(NativeSecret, ChangedDataOrMissingRevisionIsNotUpToDate) {
  json desired = DesiredNativeSecret("proj", kEntries);
  json changed = desired;
  changed["data"]["DB"] = "b3RoZXI=";
  EXPECT_FALSE(NativeSecretUpToDate(changed, desired));
  json extra_key = desired;
  extra_key["data"]["OLD"] = "eA==";
  EXPECT_FALSE(NativeSecretUpToDate(extra_key, desired));
  json no_annotations = desired;
  no_annotations["metadata"].erase("annotations");
  EXPECT_FALSE(NativeSecretUpToDate(no_annotations, desired));
}

TEST(NativeSecret, MergeForUpdateKeepsWhatOthersOwn) {
  json desired = DesiredNativeSecret("proj", kEntries);
  json stored = DesiredNativeSecret("proj", {});
  stored["metadata"]["resourceVersion"] = "42";
  stored["metadata"]["labels"]["team"] = "x";
  json merged = MergeForUpdate(stored, desired);
  EXPECT_EQ(merged["metadata"]["resourceVersion"], "42");
  EXPECT_EQ(merged["metadata"]["labels"]["team"], "x");
  EXPECT_TRUE(NativeSecretUpToDate(merged, desired));
}

TEST(NativeSecret, StoredEntriesKeepTheValuesItHoldsForTheNamesAsked) {
  const json stored = {{"data", {{"A-TOKEN", Base64Encode("kept-a")}, {"B-TOKEN", Base64Encode("kept-b")}}}};
  const std::vector<NativeSecretEntry> kept = StoredEntries(stored, {{"A-TOKEN", "fa"}, {"GONE", "fg"}});
  ASSERT_EQ(kept.size(), 1u) << "a name the stored Secret lacks is skipped";
  EXPECT_EQ(kept[0].name, "A-TOKEN");
  EXPECT_TRUE(kept[0].plaintext == "kept-a");
  EXPECT_EQ(kept[0].fingerprint, "fa");
  EXPECT_TRUE(StoredEntries(json::object(), {{"A-TOKEN", "fa"}}).empty());
}

}  // namespace
}  // namespace ks::op
