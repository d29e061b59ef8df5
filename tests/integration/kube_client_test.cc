// The Kubernetes client against the real local API server: CRUD, metadata-only reads, patches, optimistic concurrency,
// watches (events, cancellation, the idle watchdog; Gone is in kube_informer_test), impersonation, Events, and
// SubjectAccessReview.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

#include "core/kube/access_review.h"
#include "core/kube/client.h"
#include "core/kube/events.h"
#include "support/local_cluster.h"

namespace ks::kube {
namespace {

const Resource kConfigMaps{"", "v1", "configmaps", true};
const Resource kServiceAccounts{"", "v1", "serviceaccounts", true};

json ConfigMap(const std::string& name, const json& data, const json& labels = json::object()) {
  return {
      {"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}, {"labels", labels}}}, {"data", data}};
}

class KubeClientTest : public ks::testing::ClusterTest {};

TEST_F(KubeClientTest, CreatesReadsUpdatesAndDeletesAConfigMap) {
  StatusOr<json> created = client().Create(kConfigMaps, ns(), ConfigMap("settings", {{"color", "blue"}}));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ((*created)["metadata"]["namespace"], ns());

  StatusOr<json> read = client().Get(kConfigMaps, ns(), "settings");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ((*read)["data"]["color"], "blue");

  json changed = *read;
  changed["data"]["color"] = "green";
  StatusOr<json> updated = client().Update(kConfigMaps, ns(), changed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(client().Get(kConfigMaps, ns(), "settings")->at("data")["color"], "green");

  ASSERT_TRUE(client().Delete(kConfigMaps, ns(), "settings").ok());
  EXPECT_EQ(client().Get(kConfigMaps, ns(), "settings").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(client().Delete(kConfigMaps, ns(), "settings").code(), StatusCode::kNotFound);
}

TEST_F(KubeClientTest, MetadataReadLeavesTheDataOnTheServer) {
  json config_map = ConfigMap("with-data", {{"color", "blue"}}, {{"tier", "gold"}});
  config_map["metadata"]["annotations"] = {{"note", "kept"}};
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), config_map).ok());
  StatusOr<json> metadata = client().GetMetadata(kConfigMaps, ns(), "with-data");
  ASSERT_TRUE(metadata.ok()) << metadata.status().ToString();
  EXPECT_EQ((*metadata)["kind"], "PartialObjectMetadata");
  EXPECT_EQ((*metadata)["metadata"]["labels"]["tier"], "gold");
  EXPECT_EQ((*metadata)["metadata"]["annotations"]["note"], "kept");
  EXPECT_FALSE(metadata->contains("data"));
  EXPECT_EQ(client().GetMetadata(kConfigMaps, ns(), "missing").status().code(), StatusCode::kNotFound);
}

TEST_F(KubeClientTest, WritesAreAttributedToTheProgramByItsUserAgent) {
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), ConfigMap("attributed", {{"color", "blue"}})).ok());
  StatusOr<json> read = client().Get(kConfigMaps, ns(), "attributed");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ((*read)["metadata"]["managedFields"][0]["manager"], ClientConfig().user_agent);
}

TEST_F(KubeClientTest, CreatingAnExistingNameIsAlreadyExists) {
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), ConfigMap("twice", {})).ok());
  Status again = client().Create(kConfigMaps, ns(), ConfigMap("twice", {})).status();
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.message().find("already exists"), std::string::npos) << again.message();
}

TEST_F(KubeClientTest, UpdateWithAStaleResourceVersionIsConflict) {
  StatusOr<json> original = client().Create(kConfigMaps, ns(), ConfigMap("contested", {{"n", "0"}}));
  ASSERT_TRUE(original.ok());
  json first = *original;
  first["data"]["n"] = "1";
  ASSERT_TRUE(client().Update(kConfigMaps, ns(), first).ok());

  json stale = *original;
  stale["data"]["n"] = "2";
  Status lost = client().Update(kConfigMaps, ns(), stale).status();
  EXPECT_EQ(lost.code(), StatusCode::kConflict) << lost.ToString();
  EXPECT_EQ(client().Get(kConfigMaps, ns(), "contested")->at("data")["n"], "1");
}

TEST_F(KubeClientTest, MergePatchChangesOnlyTheGivenKeys) {
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), ConfigMap("patched", {{"keep", "1"}, {"drop", "2"}})).ok());
  StatusOr<json> patched =
      client().MergePatch(kConfigMaps, ns(), "patched", {{"data", {{"drop", nullptr}, {"add", "3"}}}});
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ((*patched)["data"], json({{"keep", "1"}, {"add", "3"}}));
}

TEST_F(KubeClientTest, JsonPatchAppliesOperationsInOrder) {
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), ConfigMap("ops", {{"a", "1"}})).ok());
  const json patch = json::array({{{"op", "test"}, {"path", "/data/a"}, {"value", "1"}},
                                  {{"op", "replace"}, {"path", "/data/a"}, {"value", "2"}}});
  StatusOr<json> patched = client().JsonPatch(kConfigMaps, ns(), "ops", patch);
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ((*patched)["data"]["a"], "2");

  // The same "test" now fails: the API server refuses the whole patch.
  EXPECT_FALSE(client().JsonPatch(kConfigMaps, ns(), "ops", patch).ok());
}

TEST_F(KubeClientTest, DeleteWithAnotherUidAsPreconditionIsRefused) {
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), ConfigMap("guarded", {})).ok());
  Status refused = client().Delete(kConfigMaps, ns(), "guarded", std::string("not-its-uid"));
  EXPECT_EQ(refused.code(), StatusCode::kConflict) << refused.ToString();
  EXPECT_TRUE(client().Get(kConfigMaps, ns(), "guarded").ok());
}

TEST_F(KubeClientTest, ListFiltersByLabelSelector) {
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), ConfigMap("red", {}, {{"color", "red"}})).ok());
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), ConfigMap("blue", {}, {{"color", "blue"}})).ok());
  ListOptions red;
  red.label_selector = "color in (red)";
  StatusOr<json> list = client().List(kConfigMaps, ns(), red);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ((*list)["items"].size(), 1u);
  EXPECT_EQ((*list)["items"][0]["metadata"]["name"], "red");
}

TEST_F(KubeClientTest, WatchDeliversAddedModifiedAndDeletedInOrder) {
  StatusOr<json> list = client().List(kConfigMaps, ns());
  ASSERT_TRUE(list.ok());
  std::vector<std::string> seen;
  Status watched;
  std::thread watcher([&] {
    ListOptions options;
    options.resource_version = (*list)["metadata"]["resourceVersion"];
    options.field_selector = "metadata.name=watched";  // not the controller manager's kube-root-ca.crt
    options.timeout_seconds = 60;                      // ends the test should DELETED never come
    watched = client().Watch(
        kConfigMaps, ns(), options,
        [&](const WatchEvent& event) {
          seen.push_back(event.type + " " + event.object["metadata"]["name"].get<std::string>());
          return event.type != "DELETED";
        },
        CancelToken());
  });
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), ConfigMap("watched", {{"v", "1"}})).ok());
  ASSERT_TRUE(client().MergePatch(kConfigMaps, ns(), "watched", {{"data", {{"v", "2"}}}}).ok());
  ASSERT_TRUE(client().Delete(kConfigMaps, ns(), "watched").ok());
  watcher.join();

  EXPECT_TRUE(watched.ok()) << watched.ToString();
  EXPECT_EQ(seen, (std::vector<std::string>{"ADDED watched", "MODIFIED watched", "DELETED watched"}));
}

TEST_F(KubeClientTest, CancelEndsARunningWatchWithOk) {
  ASSERT_TRUE(client().Create(kConfigMaps, ns(), ConfigMap("present", {})).ok());
  CancelToken cancel;
  std::atomic<bool> got_event = false;
  Status watched = Unavailable("not run");
  // No server timeout: if Cancel did not end the stream, the test would hang and fail by timeout.
  std::thread watcher([&] {
    watched = client().Watch(
        kConfigMaps, ns(), {},
        [&](const WatchEvent&) {
          got_event = true;
          return true;
        },
        cancel);
  });
  EXPECT_TRUE(ks::testing::Eventually([&] { return got_event.load(); }));
  cancel.Cancel();
  watcher.join();
  EXPECT_TRUE(watched.ok()) << watched.ToString();
}

TEST_F(KubeClientTest, SilentWatchIsAbandonedAsUnavailable) {
  ListOptions nothing_matches;
  nothing_matches.label_selector = "no-such-label=x";
  nothing_matches.allow_bookmarks = false;
  Status watched = client().Watch(
      kConfigMaps, ns(), nothing_matches, [](const WatchEvent&) { return true; }, CancelToken(),
      std::chrono::seconds(1));
  EXPECT_EQ(watched.code(), StatusCode::kUnavailable) << watched.ToString();
  EXPECT_NE(watched.message().find("silent"), std::string::npos) << watched.message();
}

TEST_F(KubeClientTest, ImpersonatedUserWithoutRightsIsPermissionDenied) {
  ClientConfig nobody = config();
  nobody.impersonate_user = "kernel-secrets-test-nobody";
  Client as_nobody(nobody);
  Status denied = as_nobody.List(kConfigMaps, ns()).status();
  EXPECT_EQ(denied.code(), StatusCode::kPermissionDenied) << denied.ToString();
  EXPECT_NE(denied.message().find("kernel-secrets-test-nobody"), std::string::npos) << denied.message();
}

// The TokenRequest API issues the service account a token (Kubernetes 1.24 and later create no
// token Secrets); the client reads it from a file and, with no refresh delay, picks up every change
// of the file.
TEST_F(KubeClientTest, BearerTokenFileIsReadAndReRead) {
  const json account = {{"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"metadata", {{"name", "robot"}}}};
  ASSERT_TRUE(client().Create(kServiceAccounts, ns(), account).ok());
  // A TokenRequest is a create on the account's token subresource, whose path is that of a
  // collection named serviceaccounts/robot/token.
  const Resource robot_token{"", "v1", "serviceaccounts/robot/token", true};
  const json token_request = {{"apiVersion", "authentication.k8s.io/v1"},
                              {"kind", "TokenRequest"},
                              {"spec", {{"expirationSeconds", 600}}}};
  StatusOr<json> issued = client().Create(robot_token, ns(), token_request);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  const std::string token = issued->value("/status/token"_json_pointer, "");
  ASSERT_FALSE(token.empty());

  const std::string token_file = ks::testing::UniqueName("/tmp/kube-client-test-token");
  ClientConfig as_robot = config();
  as_robot.client_cert_pem.clear();
  as_robot.client_key_pem.clear();
  as_robot.token_file = token_file;
  as_robot.token_refresh = std::chrono::seconds(0);
  Client robot(as_robot);
  const auto list_as_robot = [&](const std::string& content) {
    std::ofstream(token_file) << content;
    return robot.List(kConfigMaps, ns()).status();
  };

  // Authenticated as the service account, which has no rights here.
  Status with_token = list_as_robot(token + "\n");
  EXPECT_EQ(with_token.code(), StatusCode::kPermissionDenied) << with_token.ToString();
  EXPECT_NE(with_token.message().find("system:serviceaccount:" + ns() + ":robot"), std::string::npos);
  EXPECT_EQ(list_as_robot("not-a-token").code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(list_as_robot(token).code(), StatusCode::kPermissionDenied);
  std::filesystem::remove(token_file);
}

TEST_F(KubeClientTest, UnreachableServerIsUnavailable) {
  ClientConfig nowhere = config();
  nowhere.server = "https://127.0.0.1:1";
  Status failed = Client(nowhere).Get(kConfigMaps, ns(), "any").status();
  EXPECT_EQ(failed.code(), StatusCode::kUnavailable) << failed.ToString();
}

TEST_F(KubeClientTest, RepeatedEventIsCountedOnOneEvent) {
  StatusOr<json> object = client().Create(kConfigMaps, ns(), ConfigMap("noisy", {}));
  ASSERT_TRUE(object.ok());
  (*object)["apiVersion"] = "v1";
  (*object)["kind"] = "ConfigMap";
  EventRecorder recorder(client(), "kube-client-test");
  recorder.Record(*object, EventType::kWarning, "Flapping", "it happened");
  recorder.Record(*object, EventType::kWarning, "Flapping", "it happened");
  recorder.Record(*object, EventType::kNormal, "Settled", "it is over");

  ListOptions about_noisy;
  about_noisy.field_selector = "involvedObject.name=noisy";
  StatusOr<json> events = client().List(resources::kEvents, ns(), about_noisy);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  std::map<std::string, int> count_by_reason;
  for (const json& event : (*events)["items"]) {
    EXPECT_EQ(event["involvedObject"]["uid"], (*object)["metadata"]["uid"]);
    EXPECT_EQ(event["involvedObject"]["kind"], "ConfigMap");
    EXPECT_EQ(event["source"]["component"], "kube-client-test");
    count_by_reason[event["reason"]] += event["count"].get<int>();
  }
  EXPECT_EQ((*events)["items"].size(), 2u);
  EXPECT_EQ(count_by_reason, (std::map<std::string, int>{{"Flapping", 2}, {"Settled", 1}}));
}

TEST_F(KubeClientTest, AccessReviewAllowsMastersAndDeniesOthers) {
  AccessReviewRequest request;
  request.user = "kernel-secrets-test-admin";
  request.groups = {"system:masters"};
  request.extra = {{"scopes", {"test"}}};
  request.verb = "delete";
  request.resource = "configmaps";
  request.name = "any";
  request.ns = ns();
  StatusOr<AccessReviewResult> admin = ReviewAccess(client(), request);
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  EXPECT_TRUE(admin->allowed);

  request.groups.clear();
  StatusOr<AccessReviewResult> nobody = ReviewAccess(client(), request);
  ASSERT_TRUE(nobody.ok()) << nobody.status().ToString();
  EXPECT_FALSE(nobody->allowed);
}

}  // namespace
}  // namespace ks::kube
