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

}  // namespace
}  // namespace ks::plugin
