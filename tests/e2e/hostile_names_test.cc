// Hostile callers and hostile input end to end: an editor of a project that shares a secret cannot
// rename it to a variable that changes how kernels start, nor create one so named, and cannot take
// a share's finalizer away.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/api/secret_name.h"
#include "support/local_cluster.h"
#include "tests/e2e/project.h"

namespace ks::e2e {
namespace {

using ::testing::HasSubstr;

class HostileNames : public ProjectsTest {
 protected:
  void SetUp() override {
    ProjectsTest::SetUp();
    alice_ = testing::UniqueName("alice");  // an editor of project A
    carol_ = testing::UniqueName("carol");  // an editor of A and admin of the community
    Bind(alice_, "edit", project_a_);
    Bind(carol_, "edit", project_a_);
    MakeCommunityAdmin(carol_, community_);
  }

  Kubectl As(const std::string& user) const { return Kubectl(user, {"system:authenticated"}); }

  // A secret of project A with a fresh value, shared into the community by carol, once project B has it.
  std::string CreateSharedSecret(const std::string& spec_name) {
    const std::string value = NewSecretValue();
    EXPECT_TRUE(As(alice_).Apply(SecretManifest(project_a_, "token", spec_name, value)).ok());
    CommandResult shared = As(carol_).Apply(ShareManifest(project_a_, "token-share", "token", community_));
    EXPECT_TRUE(shared.ok()) << shared.err;
    EXPECT_TRUE(testing::Eventually([&] { return Holds(NativeSecretData(project_b_), spec_name, value); }));
    return value;
  }

  std::string alice_, carol_;
};

TEST_F(HostileNames, RenamingASharedSecretToAStartupVariableIsRefused) {
  CreateSharedSecret("SHARED-TOKEN");
  CommandResult r = As(alice_).Run(
      {"patch", "ksecret", "token", "-n", project_a_, "--type", "merge", "-p", R"({"spec":{"name":"PYTHONPATH"}})"});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.err, HasSubstr("secret name \"PYTHONPATH\" is refused: the Python interpreter"));
  EXPECT_THAT(r.err, HasSubstr(std::string(api::kStartupNameRule)));
  EXPECT_EQ(admin_.Get({"ksecret", "token", "-n", project_a_})["spec"]["name"], "SHARED-TOKEN");
  EXPECT_FALSE(NativeSecretData(project_b_).contains("PYTHONPATH"));
  ExpectNoPlaintextAnywhere();
}

TEST_F(HostileNames, SecretNamedLikeAStartupVariableCannotBeCreated) {
  CommandResult r = As(alice_).Apply(SecretManifest(project_a_, "path", "PATH", NewSecretValue()));
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.err, HasSubstr("secret name \"PATH\" is refused: shells read it"));
  EXPECT_TRUE(admin_.Get({"ksecret", "path", "-n", project_a_}).is_null());
  ExpectNoPlaintextAnywhere();
}

TEST_F(HostileNames, EditorCannotRemoveTheFinalizerOfAShare) {
  CreateSharedSecret("SHARED-TOKEN");
  ASSERT_TRUE(testing::Eventually([&] {
    return !admin_.Get({"kshare", "token-share", "-n", project_a_})
                .value("/metadata/finalizers"_json_pointer, json::array())
                .empty();
  }));
  CommandResult r = As(alice_).Run({"patch", "kshare", "token-share", "-n", project_a_, "--type", "merge", "-p",
                                    R"({"metadata":{"finalizers":null}})"});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.err, HasSubstr("metadata.finalizers: kernelsecrets.dev/finalizer is removed by kernel-secrets"));

  // Unsharing is still anyone's with edit; the operator removes the finalizer itself.
  ASSERT_TRUE(As(alice_).Run({"delete", "kshare", "token-share", "-n", project_a_, "--wait"}).ok());
  EXPECT_TRUE(testing::Eventually([&] { return !NativeSecretData(project_b_).contains("SHARED-TOKEN"); }));
}

}  // namespace
}  // namespace ks::e2e
