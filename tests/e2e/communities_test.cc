// Communities end to end, acting as different users through impersonation with RBAC on: sharing
// by community admins only, visibility and shadowing, copies, the edit rule, and fan-out.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "core/common/encoding.h"
#include "core/kube/client.h"
#include "support/local_cluster.h"
#include "tests/e2e/project.h"

namespace ks::e2e {
namespace {

using ::testing::HasSubstr;

class Communities : public SharingTest {
 protected:
  void SetUp() override {
    SharingTest::SetUp();
    bob_ = testing::UniqueName("bob");  // a member of project B
    Bind(bob_, "edit", project_b_);
  }

  bool EventuallyEventFor(const std::string& ns, const std::string& object, const std::string& reason) {
    return testing::Eventually([&] {
      return admin_
                 .Run({"get", "events", "-n", ns, "--field-selector",
                       "involvedObject.name=" + object + ",reason=" + reason})
                 .out.find(reason) != std::string::npos;
    });
  }

  std::string bob_;
};

TEST_F(Communities, AdminSharesAndAnotherProjectsKernelGetsTheSecretUntilUnshared) {
  const std::string value = CreateSharedSecret("token", "SHARED-TOKEN");
  ASSERT_TRUE(EventuallyNativeHas(project_b_, "SHARED-TOKEN", value));
  EXPECT_TRUE(Holds(KernelEnvironment(CreateKernelPod(project_b_)), "SHARED-TOKEN", value));
  EXPECT_TRUE(EventuallyEventFor(project_a_, "token", "Shared"));
  EXPECT_TRUE(testing::Eventually([&] {
    return admin_.Get({"ksecret", "token", "-n", project_a_})["status"].value("visibleIn", 0) == 2;
  }));

  CommandResult unshared = As(carol_).Run({"delete", "kshare", "token-share", "-n", project_a_});
  ASSERT_TRUE(unshared.ok()) << unshared.err;
  ASSERT_TRUE(EventuallyNativeHas(project_b_, "SHARED-TOKEN", std::nullopt));
  EXPECT_FALSE(KernelEnvironment(CreateKernelPod(project_b_)).contains("SHARED-TOKEN"));
  EXPECT_TRUE(Holds(NativeSecretData(project_a_), "SHARED-TOKEN", value)) << "the owner keeps its secret";
  EXPECT_TRUE(EventuallyEventFor(project_a_, "token", "Unshared"));
  ExpectNoPlaintextAnywhere();
}

TEST_F(Communities, NonAdminIsRefusedWithTheProductsWords) {
  ASSERT_TRUE(As(alice_).Apply(SecretManifest(project_a_, "token", "TOKEN", NewSecretValue())).ok());
  CommandResult r = As(alice_).Apply(ShareManifest(project_a_, "token-share", "token", community_));
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.err, HasSubstr("Only a community admin can share a secret in the community."));
  EXPECT_TRUE(admin_.Get({"kshare", "token-share", "-n", project_a_}).is_null());
}

TEST_F(Communities, OtherProjectsSecretsStayInvisibleWithoutAShare) {
  ASSERT_TRUE(As(alice_).Apply(SecretManifest(project_a_, "private", "PRIVATE", NewSecretValue())).ok());
  EXPECT_TRUE(testing::Eventually([&] { return NativeSecretData(project_a_).contains("PRIVATE"); }));
  EXPECT_FALSE(NativeSecretData(project_b_).contains("PRIVATE"));
}

TEST_F(Communities, OwnSecretShadowsASharedOneWithTheSameName) {
  const std::string shared = CreateSharedSecret("token", "TOKEN");
  ASSERT_TRUE(EventuallyNativeHas(project_b_, "TOKEN", shared));
  const std::string own = NewSecretValue();
  ASSERT_TRUE(As(bob_).Apply(SecretManifest(project_b_, "mine", "TOKEN", own)).ok());
  ASSERT_TRUE(EventuallyNativeHas(project_b_, "TOKEN", own));
  EXPECT_TRUE(Holds(KernelEnvironment(CreateKernelPod(project_b_)), "TOKEN", own));
  EXPECT_TRUE(testing::Eventually([&] {
    json status = admin_.Get({"ksecret", "token", "-n", project_a_})["status"];
    for (const json& c : status.value("conditions", json::array())) {
      if (c["type"] == "Shadowed")
        return c["status"] == "True" && c["message"].get<std::string>().find(project_b_) != std::string::npos;
    }
    return false;
  }));
  EXPECT_TRUE(EventuallyEventFor(project_a_, "token", "Shadowed"));
}

TEST_F(Communities, OlderShareWinsBetweenSharedSecrets) {
  const std::string observer = CreateProject(community_);
  namespaces_.push_back(observer);
  const std::string older = CreateSharedSecret("token", "TOKEN");
  ASSERT_TRUE(EventuallyNativeHas(observer, "TOKEN", older));
  // B shares a secret with the same name later: it stays hidden in the observer. Creation times
  // have one-second resolution and a tie goes to the lower namespace/name, so "later" must be a
  // later second for the outcome not to depend on the random project names.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  Bind(carol_, "edit", project_b_);
  const std::string newer = NewSecretValue();
  ASSERT_TRUE(As(bob_).Apply(SecretManifest(project_b_, "token", "TOKEN", newer)).ok());
  ASSERT_TRUE(As(carol_).Apply(ShareManifest(project_b_, "token-share", "token", community_)).ok());
  EXPECT_TRUE(EventuallyEventFor(project_b_, "token", "Shadowed"));
  // The Event comes from B's secret's reconcile; the projects' own reconciles, paced to one a
  // second per project (docs/architecture.md), may write their native Secrets a moment later.
  EXPECT_TRUE(EventuallyNativeHas(observer, "TOKEN", older));
  EXPECT_TRUE(EventuallyNativeHas(project_a_, "TOKEN", older)) << "A's own wins in A";
  EXPECT_TRUE(EventuallyNativeHas(project_b_, "TOKEN", newer)) << "B's own wins in B";
}

TEST_F(Communities, CopyIsIndependentOfItsOriginal) {
  const std::string original = CreateSharedSecret("token", "TOKEN");
  ASSERT_TRUE(EventuallyNativeHas(project_b_, "TOKEN", original));
  json copy = SecretManifest(project_b_, "my-copy", "MY-COPY", "");
  copy["spec"]["copyFrom"] = {{"namespace", project_a_}, {"name", "token"}};
  CommandResult copied = As(bob_).Apply(copy);
  ASSERT_TRUE(copied.ok()) << copied.err;
  ASSERT_TRUE(EventuallyNativeHas(project_b_, "MY-COPY", original));
  EXPECT_TRUE(Holds(KernelEnvironment(CreateKernelPod(project_b_)), "MY-COPY", original));
  EXPECT_TRUE(EventuallyEventFor(project_b_, "my-copy", "Copied"));

  // Editing the copy leaves the original as it was.
  const std::string edited = NewSecretValue();
  copy.erase("spec");
  ASSERT_TRUE(As(bob_).Apply(SecretManifest(project_b_, "my-copy", "MY-COPY", edited)).ok());
  ASSERT_TRUE(EventuallyNativeHas(project_b_, "MY-COPY", edited));
  EXPECT_TRUE(Holds(NativeSecretData(project_a_), "TOKEN", original));

  // Deleting the original leaves the copy as it was.
  ASSERT_TRUE(As(alice_).Run({"delete", "ksecret", "token", "-n", project_a_}).ok());
  ASSERT_TRUE(EventuallyNativeHas(project_b_, "TOKEN", std::nullopt));
  const std::map<std::string, std::string> kernel = KernelEnvironment(CreateKernelPod(project_b_));
  EXPECT_TRUE(Holds(kernel, "MY-COPY", edited));
  EXPECT_FALSE(kernel.contains("TOKEN"));
  EXPECT_TRUE(admin_.Get({"kshare", "token-share", "-n", project_a_}).is_null())
      << "deleting a secret deletes its shares";
  ExpectNoPlaintextAnywhere();
}

TEST_F(Communities, CopyFromASecretThatIsNotVisibleIsRefused) {
  ASSERT_TRUE(As(alice_).Apply(SecretManifest(project_a_, "private", "PRIVATE", NewSecretValue())).ok());
  json copy = SecretManifest(project_b_, "stolen", "STOLEN", "");
  copy["spec"]["copyFrom"] = {{"namespace", project_a_}, {"name", "private"}};
  CommandResult r = As(bob_).Apply(copy);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.err, HasSubstr("does not exist or is not visible to project"));
  EXPECT_TRUE(admin_.Get({"ksecret", "stolen", "-n", project_b_}).is_null());
}

TEST_F(Communities, SharedSecretCanBeSeenAndCopiedButNotEditedFromAnotherProject) {
  CreateSharedSecret("token", "TOKEN");
  ASSERT_TRUE(testing::Eventually([&] { return NativeSecretData(project_b_).contains("TOKEN"); }));
  const Kubectl bob = As(bob_);
  EXPECT_FALSE(
      bob.Run({"patch", "ksecret", "token", "-n", project_a_, "--type=merge", "-p", R"({"spec":{"name":"HIJACK"}})"})
          .ok());
  EXPECT_FALSE(bob.Run({"delete", "ksecret", "token", "-n", project_a_}).ok());
  EXPECT_EQ(admin_.Get({"ksecret", "token", "-n", project_a_})["spec"]["name"], "TOKEN");
  // What bob sees of it: its name in his project's set.
  json native = bob.Get({"secret", "kernel-secrets", "-n", project_b_});
  EXPECT_TRUE(native["data"].contains("TOKEN"));
}

TEST_F(Communities, ViewerNeverObtainsAValue) {
  const std::string value = CreateSharedSecret("token", "TOKEN");
  const std::string victor = testing::UniqueName("victor");
  Bind(victor, "view", project_a_);
  Bind(victor, "view", project_b_);
  const Kubectl viewer = As(victor);
  for (const std::string& ns : {project_a_, project_b_}) {
    for (const char* kind : {"ksecret", "kshare"}) {
      CommandResult r = viewer.Run({"get", kind, "-n", ns, "-o", "yaml"});
      EXPECT_TRUE(r.ok()) << r.err;
      EXPECT_EQ(r.out.find(value), std::string::npos);
    }
    EXPECT_FALSE(viewer.Run({"get", "secret", "kernel-secrets", "-n", ns}).ok()) << "view grants no Secrets";
  }
}

TEST_F(Communities, LeavingTheCommunityRemovesSharedSecrets) {
  const std::string value = CreateSharedSecret("token", "TOKEN");
  ASSERT_TRUE(EventuallyNativeHas(project_b_, "TOKEN", value));
  ASSERT_TRUE(
      admin_.Run({"label", "--overwrite", "namespace", project_b_, "kernelsecrets.dev/community=elsewhere"}).ok());
  EXPECT_TRUE(EventuallyNativeHas(project_b_, "TOKEN", std::nullopt));
  ASSERT_TRUE(
      admin_.Run({"label", "--overwrite", "namespace", project_b_, "kernelsecrets.dev/community=" + community_}).ok());
  EXPECT_TRUE(EventuallyNativeHas(project_b_, "TOKEN", value));
}

// One change to a secret shared into a community of 200 projects reaches all of them, with
// exactly one write per native Secret whose content changed.
TEST_F(Communities, FanOutToTwoHundredProjectsWritesEachNativeSecretOnce) {
  constexpr int kProjects = 200;
  const std::string community = testing::UniqueName("big");
  std::set<std::string> projects;
  std::string manifests;
  for (int i = 0; i < kProjects; ++i) {
    const std::string ns = testing::UniqueName("fan");
    projects.insert(ns);
    namespaces_.push_back(ns);
    manifests +=
        json({{"apiVersion", "v1"},
              {"kind", "Namespace"},
              {"metadata",
               {{"name", ns},
                {"labels", {{"kernelsecrets.dev/project", "true"}, {"kernelsecrets.dev/community", community}}}}}})
            .dump() +
        "\n";
  }
  ASSERT_TRUE(admin_.Run({"create", "-f", "-"}, manifests).ok());
  const std::string owner = *projects.begin();
  const std::string first = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(owner, "token", "TOKEN", first)).ok());
  ASSERT_TRUE(admin_.Apply(ShareManifest(owner, "token-share", "token", community)).ok());
  auto all_hold = [&](const std::string& value) {
    json list = admin_.Get({"secrets", "-A", "-l", "app.kubernetes.io/managed-by=kernel-secrets"});
    int holding = 0;
    for (const json& s : list["items"]) {
      if (!projects.contains(s["metadata"]["namespace"].get<std::string>())) continue;
      auto data = s.value("data", json::object());
      holding += data.contains("TOKEN") && Base64Decode(data["TOKEN"].get<std::string>()).value() == value;
    }
    return holding == kProjects;
  };
  ASSERT_TRUE(testing::Eventually([&] { return all_hold(first); }, std::chrono::seconds(300)));

  // Count every write to a native Secret from here on, through a watch.
  kube::Client client(testing::LocalClusterConfig().value());
  kube::ListOptions options;
  options.label_selector = "app.kubernetes.io/managed-by=kernel-secrets";
  StatusOr<json> listed = client.List(kube::resources::kSecrets, "", options);
  ASSERT_TRUE(listed.ok());
  options.resource_version = (*listed)["metadata"]["resourceVersion"];
  std::atomic<int> writes_in_community = 0, writes_elsewhere = 0;
  kube::CancelToken cancel;
  std::thread watcher([&] {
    (void)client.Watch(
        kube::resources::kSecrets, "", options,
        [&](const kube::WatchEvent& e) {
          if (e.type == "BOOKMARK") return true;
          (projects.contains(e.object["metadata"]["namespace"].get<std::string>()) ? writes_in_community
                                                                                   : writes_elsewhere)++;
          return true;
        },
        cancel);
  });

  const std::string second = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(owner, "token", "TOKEN", second)).ok());
  EXPECT_TRUE(testing::Eventually([&] { return all_hold(second); }, std::chrono::seconds(300)));
  // Writes beyond one per project (retries, echoes of our own writes) would come right after.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  cancel.Cancel();
  watcher.join();
  EXPECT_EQ(writes_in_community.load(), kProjects);
  EXPECT_EQ(writes_elsewhere.load(), 0);
}

}  // namespace
}  // namespace ks::e2e
