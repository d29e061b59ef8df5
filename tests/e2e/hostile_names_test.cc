// Hostile callers and hostile input end to end: an editor of a project that shares a secret cannot
// rename it to a variable that changes how kernels start, nor create one so named, cannot take a
// share's finalizer away, and cannot have a share pass to another secret created under its name.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/api/secret_name.h"
#include "support/local_cluster.h"
#include "tests/e2e/project.h"

namespace ks::e2e {
namespace {

using ::testing::HasSubstr;

class HostileNames : public SharingTest {
 protected:
  // Secret `token` of project A, shared into the community, once project B has it.
  std::string ShareToken(const std::string& spec_name) {
    const std::string value = CreateSharedSecret("token", spec_name);
    EXPECT_TRUE(EventuallyNativeHas(project_b_, spec_name, value));
    return value;
  }
};

TEST_F(HostileNames, RenamingASharedSecretToAStartupVariableIsRefused) {
  ShareToken("SHARED-TOKEN");
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
  ShareToken("SHARED-TOKEN");
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

TEST_F(HostileNames, ASecretCreatedAgainUnderASharedNameIsNotShared) {
  ShareToken("SHARED-TOKEN");
  ASSERT_TRUE(As(alice_).Run({"delete", "ksecret", "token", "-n", project_a_, "--wait"}).ok());
  // The operator deletes a deleted secret's shares before it lets the secret go.
  EXPECT_TRUE(admin_.Get({"kshare", "token-share", "-n", project_a_}).is_null());
  ASSERT_TRUE(EventuallyNativeHas(project_b_, "SHARED-TOKEN", std::nullopt));

  const std::string replacement = NewSecretValue();
  CommandResult created = As(alice_).Apply(SecretManifest(project_a_, "token", "SHARED-TOKEN", replacement));
  ASSERT_TRUE(created.ok()) << created.err;
  ASSERT_TRUE(EventuallyNativeHas(project_a_, "SHARED-TOKEN", replacement));
  EXPECT_FALSE(NativeSecretData(project_b_).contains("SHARED-TOKEN"));
  EXPECT_TRUE(testing::Eventually([&] {
    return admin_.Get({"ksecret", "token", "-n", project_a_}).value("/status/visibleIn"_json_pointer, 0) == 1;
  })) << "the new secret is seen by its own project only";
  ExpectNoPlaintextAnywhere();
}

}  // namespace
}  // namespace ks::e2e
