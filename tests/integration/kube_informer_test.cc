// The informer against the real local API server: sync and handler calls, surviving an API server
// restart, relisting after an etcd compaction made its resourceVersion gone, and metadata only.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "core/kube/informer.h"
#include "core/kube/object.h"
#include "support/local_cluster.h"

namespace ks::kube {
namespace {

const Resource kConfigMaps{"", "v1", "configmaps", true};

json ConfigMap(const std::string& name, const json& labels = json::object()) {
  return {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}, {"labels", labels}}}};
}

// Handler calls as "add a", "update a", "delete a", in order; safe to read from the test thread.
class HandlerLog {
 public:
  InformerHandlers handlers() {
    return {[this](const ObjectPtr& o) { Append("add " + MetadataField(*o, "name")); },
            [this](const ObjectPtr&, const ObjectPtr& o) { Append("update " + MetadataField(*o, "name")); },
            [this](const ObjectPtr& o) { Append("delete " + MetadataField(*o, "name")); }};
  }
  bool Contains(const std::string& entry) const {
    std::lock_guard lock(mutex_);
    return std::find(entries_.begin(), entries_.end(), entry) != entries_.end();
  }
  std::vector<std::string> entries() const {
    std::lock_guard lock(mutex_);
    return entries_;
  }

 private:
  void Append(std::string entry) {
    std::lock_guard lock(mutex_);
    entries_.push_back(std::move(entry));
  }
  mutable std::mutex mutex_;
  std::vector<std::string> entries_;
};

class KubeInformerTest : public ks::testing::ClusterTest {
 protected:
  std::unique_ptr<Informer> StartInformer(const std::string& label_selector = "", bool metadata_only = false,
                                          InformerOptions options = {}) {
    options.ns = ns();
    options.label_selector = label_selector;
    options.metadata_only = metadata_only;
    options.initial_backoff = std::chrono::milliseconds(100);
    options.max_backoff = std::chrono::milliseconds(1000);
    auto informer = std::make_unique<Informer>(client(), kConfigMaps, options, log_.handlers());
    informer->Start();
    EXPECT_TRUE(informer->WaitForSync(std::chrono::seconds(30)));
    return informer;
  }

  HandlerLog log_;
};

TEST_F(KubeInformerTest, SyncsExistingObjectsThenFollowsChanges) {
  // Labelled, so that the namespace's own kube-root-ca.crt stays out of the picture.
  const json labels = {{"test", "informer"}};
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), ConfigMap("before", labels)).ok());
  auto informer = StartInformer("test=informer");
  ASSERT_TRUE(informer->HasSynced());
  ASSERT_NE(informer->Get(ns(), "before"), nullptr);
  EXPECT_EQ(informer->Get(ns(), "before")->at("kind"), "ConfigMap") << "list items get their kind";
  EXPECT_TRUE(log_.Contains("add before")) << "handlers saw the first list before WaitForSync returned";

  ASSERT_TRUE(client().Create(kConfigMaps, ns(), ConfigMap("after", labels)).ok());
  ASSERT_TRUE(client().MergePatch(kConfigMaps, ns(), "before", {{"data", {{"k", "v"}}}}).ok());
  ASSERT_TRUE(client().Delete(kConfigMaps, ns(), "after").ok());
  ASSERT_TRUE(ks::testing::Eventually([&] { return log_.Contains("delete after"); }));

  EXPECT_EQ(log_.entries(), (std::vector<std::string>{"add before", "add after", "update before", "delete after"}));
  EXPECT_EQ(informer->Get(ns(), "after"), nullptr);
  EXPECT_EQ(informer->Get(ns(), "before")->at("data")["k"], "v");
  EXPECT_EQ(informer->ListInNamespace(ns()).size(), 1u);
  EXPECT_EQ(informer->List().size(), 1u);
  informer->Stop();
}

TEST_F(KubeInformerTest, ListsPageByPageAndTransformsWhatItCaches) {
  const json labels = {{"test", "paged"}};
  for (const char* name : {"a", "b", "c", "d", "e"}) {
    json listed = ConfigMap(name, labels);
    listed["data"] = {{"drop", "x"}, {"keep", "y"}};
    ASSERT_TRUE(client().Create(kConfigMaps, ns(), listed).ok());
  }
  InformerOptions options;
  options.list_page_size = 2;
  options.transform = [](json& object) { object["data"].erase("drop"); };
  auto informer = StartInformer("test=paged", /*metadata_only=*/false, options);
  json watched = ConfigMap("watched", labels);
  watched["data"] = {{"drop", "x"}, {"keep", "y"}};
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), watched).ok());
  ASSERT_TRUE(ks::testing::Eventually([&] { return log_.Contains("add watched"); }));

  EXPECT_EQ(informer->List().size(), 6u) << "every page of the list, then the watch";
  for (const ObjectPtr& cached : informer->List()) {
    EXPECT_EQ(cached->at("data"), (json{{"keep", "y"}})) << MetadataField(*cached, "name");
  }
  informer->Stop();
}

TEST_F(KubeInformerTest, MetadataOnlyCachesNoDataFromTheListOrTheWatch) {
  const json labels = {{"test", "metadata"}};
  json listed = ConfigMap("listed", labels);
  listed["data"] = {{"k", "listed-data"}};
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), listed).ok());
  auto informer = StartInformer("test=metadata", /*metadata_only=*/true);
  json watched = ConfigMap("watched", labels);
  watched["data"] = {{"k", "watched-data"}};
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), watched).ok());
  ASSERT_TRUE(ks::testing::Eventually([&] { return log_.Contains("add watched"); }));

  for (const char* name : {"listed", "watched"}) {
    ObjectPtr cached = informer->Get(ns(), name);
    ASSERT_NE(cached, nullptr) << name;
    EXPECT_EQ(cached->at("kind"), "PartialObjectMetadata") << name;
    EXPECT_EQ(cached->at("apiVersion"), "meta.k8s.io/v1") << name;
    EXPECT_EQ(cached->at("metadata")["labels"], labels) << name;
    EXPECT_FALSE(cached->contains("data")) << name;
  }
  informer->Stop();
}

TEST_F(KubeInformerTest, KeepsDeliveringAcrossAnApiServerRestart) {
  auto informer = StartInformer();
  ASSERT_TRUE(ks::testing::RestartComponent("kube-apiserver").ok());

  ASSERT_TRUE(ks::testing::Eventually([&] { return client().Create(kConfigMaps, ns(), ConfigMap("later")).ok(); }));
  EXPECT_TRUE(ks::testing::Eventually([&] { return log_.Contains("add later"); })) << "informer did not resume";
  EXPECT_NE(informer->Get(ns(), "later"), nullptr);
}

TEST_F(KubeInformerTest, RelistsWhenItsResourceVersionWasCompactedAway) {
  // The informer sees only labelled objects, so that the writes below move etcd's revision on
  // without moving the informer's resourceVersion.
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), ConfigMap("watched-1", {{"watched", "yes"}})).ok());
  auto informer = StartInformer("watched=yes");
  const std::string listed_at = informer->LastSyncResourceVersion();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(client().Create(kConfigMaps, ns(), ConfigMap("unwatched-" + std::to_string(i))).ok());
  }
  StatusOr<std::int64_t> compacted = ks::testing::CompactEtcd();
  ASSERT_TRUE(compacted.ok()) << compacted.status().ToString();
  // A restart cuts the watch; the informer resumes from a resourceVersion that no longer exists.
  ASSERT_TRUE(ks::testing::RestartComponent("kube-apiserver").ok());

  ASSERT_TRUE(ks::testing::Eventually([&] { return informer->LastSyncResourceVersion() != listed_at; }))
      << "no relist after the compaction";
  EXPECT_GE(std::stoll(informer->LastSyncResourceVersion()), *compacted);
  EXPECT_NE(informer->Get(ns(), "watched-1"), nullptr);

  ASSERT_TRUE(ks::testing::Eventually([&] {
    return client().Create(kConfigMaps, ns(), ConfigMap("watched-2", {{"watched", "yes"}})).ok();
  }));
  EXPECT_TRUE(ks::testing::Eventually([&] { return log_.Contains("add watched-2"); }));
  EXPECT_FALSE(log_.Contains("add unwatched-0"));
}

}  // namespace
}  // namespace ks::kube
