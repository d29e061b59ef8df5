// What changed in Kubernetes since 1.20 that touches kernel-secrets, on whichever release the local
// cluster runs (.ci/run runs the suites on Debian's 1.20 and on a current release): native sidecar
// containers, and Pod Security admission on project namespaces. Pods are admitted by a server dry
// run: what is checked is what admission stores, and nothing needs to run.
#include <gtest/gtest.h>

#include "tests/e2e/notebook_server.h"
#include "tests/e2e/project.h"

namespace ks::e2e {
namespace {

class KubernetesRelease : public ProjectsTest {};

TEST_F(KubernetesRelease, AKernelPodsNativeSidecarIsLeftAloneAndItsKernelInjected) {
  json pod = KernelPodManifest(project_a_);
  json sidecar = pod["spec"]["containers"][0];
  sidecar["name"] = "proxy";
  sidecar["restartPolicy"] = "Always";
  pod["spec"]["initContainers"] = json::array({sidecar});

  const json admitted = AdmitPod(pod);
  ASSERT_FALSE(admitted.is_null());
  EXPECT_EQ(admitted["spec"]["containers"][0]["envFrom"][0]["secretRef"]["name"], "kernel-secrets");
  const json& admitted_sidecar = admitted["spec"]["initContainers"][0];
  EXPECT_FALSE(admitted_sidecar.contains("envFrom")) << "a sidecar gets none of the project's secrets";
  if (ServerMinorVersion() >= kNativeSidecarsSince) {
    EXPECT_EQ(admitted_sidecar.value("restartPolicy", ""), "Always") << "the sidecar stays a sidecar";
  } else {
    EXPECT_FALSE(admitted_sidecar.contains("restartPolicy")) << "1." << ServerMinorVersion()
                                                             << " drops the field it does not know";
  }
}

TEST_F(KubernetesRelease, ARestrictedProjectAdmitsInjectedKernelPodsAndNotebookServers) {
  if (ServerMinorVersion() < kPodSecuritySince) {
    GTEST_SKIP() << "the API server is 1." << ServerMinorVersion() << ": Pod Security admission is on from 1."
                 << kPodSecuritySince;
  }
  ASSERT_TRUE(admin_.Run({"label", "namespace", project_a_, "pod-security.kubernetes.io/enforce=restricted"}).ok());

  const json kernel = AdmitPod(KernelPodManifest(project_a_));
  ASSERT_FALSE(kernel.is_null());
  EXPECT_EQ(kernel["spec"]["containers"][0]["envFrom"][0]["secretRef"]["name"], "kernel-secrets");
  const json server = AdmitPod(NotebookServerManifest(project_a_));
  ASSERT_FALSE(server.is_null());
  EXPECT_EQ(server["spec"]["volumes"].back()["name"], "kernel-secrets") << "a projected volume passes restricted";

  // The profile is enforced: the same kernel pod without its restricted securityContext is refused.
  json unrestricted = KernelPodManifest(project_a_);
  unrestricted["spec"]["containers"][0].erase("securityContext");
  CommandResult refused = admin_.Run({"create", "--dry-run=server", "-f", "-"}, unrestricted.dump());
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.err.find("violates PodSecurity \"restricted"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace ks::e2e
