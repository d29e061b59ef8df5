// Notebook servers (JupyterHub, Kubeflow), end to end: kernels restarted inside a long-running
// server pod get the project's current secrets from the volume the injector mounts, through the
// kernel provisioner; the server's own process never holds a value; what the kernel sends to the
// notebook has the values redacted.
#include "tests/e2e/notebook_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/local_cluster.h"
#include "tests/e2e/project.h"

namespace ks::e2e {
namespace {

using ::testing::Contains;
using ::testing::Key;
using ::testing::Not;

class NotebookServers : public ProjectsTest {
 protected:
  // Restarts the kernel until its environment satisfies `wanted`, as a user would press "Restart
  // kernel" after an edit: at most for `deadline` (the kubelet's refresh of the volume).
  bool RestartUntil(const NotebookServer& server, const std::string& kernel,
                    const std::function<bool(const EnvironmentDigests&)>& wanted) {
    return testing::Eventually(
        [&] {
          server.RestartKernel(kernel);
          return wanted(server.KernelEnvironment(kernel));
        },
        std::chrono::seconds(30));
  }

  std::string NativeRevision(const std::string& ns) {
    return admin_.Get({"secret", "kernel-secrets", "-n", ns})["metadata"]["annotations"]["kernelsecrets.dev/revision"];
  }
};

bool Has(const EnvironmentDigests& env, const std::string& name, const std::string& value) {
  const auto found = env.find(name);
  return found != env.end() && found->second == Digest(value);
}

TEST_F(NotebookServers, ARestartedKernelGetsEveryChangeWithoutAPodRestart) {
  const std::string first = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "api-token", "API-TOKEN", first)).ok());
  ASSERT_TRUE(testing::Eventually([&] { return NativeSecretData(project_a_).contains("API-TOKEN"); }));

  NotebookServer server(project_a_);
  ASSERT_FALSE(server.pod().is_null());
  const json& container = server.pod()["spec"]["containers"][0];
  EXPECT_FALSE(container.contains("envFrom")) << "a notebook server gets no variable";
  EXPECT_EQ(server.pod()["metadata"]["annotations"]["kernelsecrets.dev/delivery"], "volume");
  const std::string kernel = server.StartKernel();
  ASSERT_FALSE(kernel.empty());
  EXPECT_TRUE(Has(server.KernelEnvironment(kernel), "API-TOKEN", first)) << "API-TOKEN in the first kernel";

  // Edited, and a second secret added: the next restarts bring both.
  const std::string edited = NewSecretValue();
  const std::string added = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "api-token", "API-TOKEN", edited)).ok());
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "db", "DB-PASSWORD", added)).ok());
  EXPECT_TRUE(RestartUntil(server, kernel, [&](const EnvironmentDigests& env) {
    return Has(env, "API-TOKEN", edited) && Has(env, "DB-PASSWORD", added);
  })) << "the edited API-TOKEN and the new DB-PASSWORD never reached a restarted kernel";

  // Renamed and deleted: gone from the next kernel, the renamed one there under its new name.
  ASSERT_TRUE(admin_
                  .Run({"patch", "ksecret", "api-token", "-n", project_a_, "--type=merge", "-p",
                        R"({"spec": {"name": "SERVICE-TOKEN"}})"})
                  .ok());
  ASSERT_TRUE(admin_.Run({"delete", "ksecret", "db", "-n", project_a_}).ok());
  EXPECT_TRUE(RestartUntil(server, kernel, [&](const EnvironmentDigests& env) {
    return Has(env, "SERVICE-TOKEN", edited) && !env.contains("API-TOKEN") && !env.contains("DB-PASSWORD");
  })) << "the rename and the deletion never reached a restarted kernel";

  // The pod itself was never restarted, and its annotation follows the project's revision.
  const json now = admin_.Get({"pod", server.pod()["metadata"]["name"], "-n", project_a_});
  EXPECT_EQ(now["metadata"]["uid"], server.pod()["metadata"]["uid"]);
  EXPECT_EQ(now["status"]["containerStatuses"][0]["restartCount"], 0);
  EXPECT_EQ(now["metadata"]["annotations"]["kernelsecrets.dev/revision"], NativeRevision(project_a_));

  // The notebook server's own environment holds no value and no secret's name.
  const EnvironmentDigests server_env = server.ServerEnvironment();
  EXPECT_FALSE(server_env.empty()) << "the probe read no environment of the server";
  for (const std::string& value : {first, edited, added}) {
    for (const auto& [name, digest] : server_env) EXPECT_NE(digest, Digest(value)) << "in the server's " << name;
  }
  for (const char* name : {"API-TOKEN", "DB-PASSWORD", "SERVICE-TOKEN"}) {
    EXPECT_THAT(server_env, Not(Contains(Key(name))));
  }
  ExpectNoPlaintextAnywhere();
}

TEST_F(NotebookServers, TheNotebookSeesValuesRedactedAndEverythingElseUnchanged) {
  const std::string value = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "api-token", "API-TOKEN", value)).ok());
  ASSERT_TRUE(testing::Eventually([&] { return NativeSecretData(project_a_).contains("API-TOKEN"); }));
  NotebookServer server(project_a_);
  const std::string kernel = server.StartKernel();
  ASSERT_FALSE(kernel.empty());
  ASSERT_TRUE(Has(server.KernelEnvironment(kernel), "API-TOKEN", value));

  // Printed, as a result, and in a traceback: each shows [REDACTED] where the value was.
  const CellOutputs printed = server.Run(kernel, "import os; print('token:', os.environ['API-TOKEN'])");
  ASSERT_EQ(printed.texts.size(), 1u);
  // EXPECT_TRUE, not EXPECT_EQ: a failure must not print a text that may hold the value.
  EXPECT_TRUE(printed.texts[0] == "token: [REDACTED]\n") << "the printed value is not shown as [REDACTED]";
  const CellOutputs result = server.Run(kernel, "os.environ['API-TOKEN'] + '!'");
  ASSERT_EQ(result.texts.size(), 1u);
  EXPECT_TRUE(result.texts[0] == "'[REDACTED]!'") << "the result is not shown as '[REDACTED]!'";
  const CellOutputs failed = server.Run(kernel, "raise KeyError(os.environ['API-TOKEN'])");
  EXPECT_EQ(failed.status, "error");
  ASSERT_EQ(failed.texts.size(), 1u);
  EXPECT_EQ(failed.texts[0].find(value), std::string::npos) << "the traceback holds the value";
  EXPECT_NE(failed.texts[0].find("[REDACTED]"), std::string::npos);

  // An output that holds no value comes through exactly, including text that resembles one.
  const CellOutputs plain = server.Run(kernel, "print('ksv- token: [x]')\n'unchanged ' * 2");
  EXPECT_EQ(plain.texts, (std::vector<std::string>{"ksv- token: [x]\n", "'unchanged unchanged '"}));
  ExpectNoPlaintextAnywhere();
}

}  // namespace
}  // namespace ks::e2e
