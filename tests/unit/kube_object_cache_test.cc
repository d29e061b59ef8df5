// The informer's store: lookups by key and namespace, and what a relist reports.
#include <gtest/gtest.h>

#include "core/kube/object.h"
#include "core/kube/object_cache.h"

namespace ks::kube {
namespace {

ObjectPtr Object(const std::string& ns, const std::string& name, const std::string& version) {
  return std::make_shared<const nlohmann::json>(
      nlohmann::json{{"metadata", {{"namespace", ns}, {"name", name}, {"resourceVersion", version}}}});
}

std::string Describe(const CacheDelta& delta) {
  switch (delta.type) {
    case CacheDelta::Type::kAdded:
      return "added " + ObjectKey(*delta.new_object);
    case CacheDelta::Type::kUpdated:
      return "updated " + ObjectKey(*delta.new_object) + " " + MetadataField(*delta.old_object, "resourceVersion") +
             "->" + MetadataField(*delta.new_object, "resourceVersion");
    case CacheDelta::Type::kDeleted:
      return "deleted " + ObjectKey(*delta.old_object);
  }
  return "";
}

std::vector<std::string> Describe(const std::vector<CacheDelta>& deltas) {
  std::vector<std::string> described;
  for (const CacheDelta& delta : deltas) described.push_back(Describe(delta));
  return described;
}

TEST(ObjectCache, FindsObjectsByKeyAndByNamespace) {
  ObjectCache cache;
  EXPECT_EQ(cache.Upsert(Object("a", "x", "1")), nullptr);
  cache.Upsert(Object("a", "y", "1"));
  cache.Upsert(Object("b", "x", "1"));

  EXPECT_EQ(MetadataField(*cache.Get("b", "x"), "namespace"), "b");
  EXPECT_EQ(cache.Get("b", "y"), nullptr);
  EXPECT_EQ(cache.ListInNamespace("a").size(), 2u);
  EXPECT_EQ(cache.ListInNamespace("c").size(), 0u);
  EXPECT_EQ(cache.List().size(), 3u);
}

TEST(ObjectCache, UpsertReturnsTheReplacedObjectAndRemoveTheRemovedOne) {
  ObjectCache cache;
  cache.Upsert(Object("a", "x", "1"));
  ObjectPtr old_object = cache.Upsert(Object("a", "x", "2"));
  ASSERT_NE(old_object, nullptr);
  EXPECT_EQ(MetadataField(*old_object, "resourceVersion"), "1");

  ObjectPtr removed = cache.Remove(*Object("a", "x", "3"));
  ASSERT_NE(removed, nullptr);
  EXPECT_EQ(MetadataField(*removed, "resourceVersion"), "2");
  EXPECT_EQ(cache.Remove(*Object("a", "x", "3")), nullptr);
  EXPECT_TRUE(cache.ListInNamespace("a").empty());
}

TEST(ObjectCache, ReplaceReportsVanishedNewAndChangedObjectsButNotUnchangedOnes) {
  ObjectCache cache;
  cache.Upsert(Object("a", "kept", "1"));
  cache.Upsert(Object("a", "changed", "1"));
  cache.Upsert(Object("a", "vanished", "1"));
  cache.Upsert(Object("b", "vanished-namespace", "1"));

  std::vector<CacheDelta> deltas =
      cache.Replace({Object("a", "kept", "1"), Object("a", "changed", "2"), Object("c", "new", "5")});

  EXPECT_EQ(Describe(deltas), (std::vector<std::string>{"deleted a/vanished", "deleted b/vanished-namespace",
                                                        "updated a/changed 1->2", "added c/new"}));
  EXPECT_EQ(cache.List().size(), 3u);
  EXPECT_EQ(cache.Get("b", "vanished-namespace"), nullptr);
}

TEST(ObjectKey, JoinsNamespaceAndNameAndSplitsBack) {
  EXPECT_EQ(ObjectKey(*Object("ns", "n", "1")), "ns/n");
  EXPECT_EQ(ObjectKey(nlohmann::json{{"metadata", {{"name", "cluster-wide"}}}}), "cluster-wide");
  EXPECT_EQ(SplitObjectKey("ns/n"), std::make_pair(std::string("ns"), std::string("n")));
  EXPECT_EQ(SplitObjectKey("cluster-wide"), std::make_pair(std::string(""), std::string("cluster-wide")));
}

}  // namespace
}  // namespace ks::kube
