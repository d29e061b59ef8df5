#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugin/kernel_status.h"

namespace ks::plugin {
namespace {

using ::testing::ElementsAre;

json Pod(const std::string& name, const std::optional<std::string>& revision) {
  json pod = {{"metadata", {{"name", name}}}};
  if (revision) pod["metadata"]["annotations"]["kernelsecrets.dev/revision"] = *revision;
  return pod;
}

TEST(PluginKernelStatus, ProjectRevisionIsTheNativeSecretsOrNone) {
  EXPECT_EQ(ProjectRevision(json()), "none");
  EXPECT_EQ(ProjectRevision({{"metadata", {{"annotations", {{"kernelsecrets.dev/revision", "r2"}}}}}}), "r2");
  EXPECT_EQ(ProjectRevision({{"metadata", {{"name", "kernel-secrets"}}}}), "unknown");
}

TEST(PluginKernelStatus, KernelsStampedWithAnOlderRevisionNeedARestart) {
  const json pods =
      json::array({Pod("kernel-b", "r1"), Pod("kernel-a", "r2"), Pod("web", std::nullopt), Pod("kernel-c", "none")});
  const std::vector<KernelRevision> kernels = CompareKernels(pods, "r2");
  ASSERT_EQ(kernels.size(), 3u);  // the pod the injector did not stamp is no kernel
  EXPECT_EQ(kernels[0].pod, "kernel-a");
  EXPECT_TRUE(kernels[0].up_to_date);
  EXPECT_EQ(kernels[1].pod, "kernel-b");
  EXPECT_FALSE(kernels[1].up_to_date);
  EXPECT_EQ(kernels[2].pod, "kernel-c");
  EXPECT_FALSE(kernels[2].up_to_date);
}

TEST(PluginKernelStatus, KernelCreatedBeforeTheProjectHadSecretsIsUpToDateUntilItHasSome) {
  const json pods = json::array({Pod("kernel", "none")});
  EXPECT_TRUE(CompareKernels(pods, ProjectRevision(json()))[0].up_to_date);
  EXPECT_FALSE(CompareKernels(pods, "r1")[0].up_to_date);
}

TEST(PluginKernelStatus, TableShortensRevisionsAndSaysWhatToDo) {
  const Table table = KernelTable({{"k1", "0123456789abcdef0123", true}, {"k2", "fedcba9876543210", false}});
  EXPECT_THAT(table.headers, ElementsAre("POD", "REVISION", "UP-TO-DATE"));
  EXPECT_THAT(table.rows[0], ElementsAre("k1", "0123456789ab", "yes"));
  EXPECT_THAT(table.rows[1], ElementsAre("k2", "fedcba987654", "restart needed"));
}

json NotebookServer(const std::string& name, const std::string& revision) {
  json pod = Pod(name, revision);
  pod["metadata"]["annotations"]["kernelsecrets.dev/delivery"] = "volume";
  pod["spec"]["containers"] = {{{"name", "sidecar"}},
                               {{"name", "notebook"}, {"volumeMounts", {{{"name", "kernel-secrets"}}}}}};
  return pod;
}

TEST(PluginKernelStatus, NotebookServersAreNoKernelPodsAndAreAskedInTheContainerWithTheValues) {
  const json pods =
      json::array({NotebookServer("jupyter-b", "r2"), Pod("kernel-a", "r1"), NotebookServer("jupyter-a", "r1")});
  const std::vector<KernelRevision> kernels = CompareKernels(pods, "r2");
  ASSERT_EQ(kernels.size(), 1u);
  EXPECT_EQ(kernels[0].pod, "kernel-a");
  const std::vector<json> servers = NotebookServers(pods);
  ASSERT_EQ(servers.size(), 2u);
  EXPECT_EQ(servers[0]["metadata"]["name"], "jupyter-a");
  EXPECT_EQ(ContainerWithValues(servers[0]), "notebook");
  EXPECT_EQ(ContainerWithValues(Pod("kernel-a", "r1")), "");
}

TEST(PluginKernelStatus, AServersLiveKernelsAreComparedWithTheProjectsRevision) {
  const json report = json::parse(R"({"revision": "r2", "kernels": [
    {"kernel_id": "11111111-aaaa", "pid": 10, "revision": "r1", "launched_at": "t1", "alive": true},
    {"kernel_id": "22222222-bbbb", "pid": 11, "revision": "r2", "launched_at": "t2", "alive": true},
    {"kernel_id": "33333333-cccc", "pid": 12, "revision": "r1", "launched_at": "t0", "alive": false}]})");
  const std::vector<ServerKernel> kernels = CompareServerKernels("jupyter-a", report, "r2");
  ASSERT_EQ(kernels.size(), 2u) << "a kernel whose process is gone is left out";
  EXPECT_EQ(kernels[0].kernel, "11111111-aaaa");
  EXPECT_FALSE(kernels[0].up_to_date);
  EXPECT_TRUE(kernels[1].up_to_date);
  EXPECT_TRUE(CompareServerKernels("jupyter-a", json("not a report"), "r2").empty());

  const Table table = ServerKernelTable(kernels);
  EXPECT_THAT(table.headers, ElementsAre("NOTEBOOK-SERVER", "KERNEL", "REVISION", "UP-TO-DATE"));
  EXPECT_THAT(table.rows[0], ElementsAre("jupyter-a", "11111111", "r1", "restart needed"));
  EXPECT_THAT(table.rows[1], ElementsAre("jupyter-a", "22222222", "r2", "yes"));
}

}  // namespace
}  // namespace ks::plugin
