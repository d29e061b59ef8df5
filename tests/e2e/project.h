// Fixtures for end-to-end tests: fresh project namespaces, kernel pods, and the checks every flow
// ends with (no plaintext in etcd, Events, or logs). Values used by tests are generated, registered
// here, and never printed: assertions about them say which name was wrong, not what it held.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/e2e/kubectl.h"

namespace ks::e2e {

// A fresh random value, remembered so that the no-plaintext checks look for it.
std::string NewSecretValue();

// Creates a project namespace (optionally in a community); deleted by DeleteNamespaces().
std::string CreateProject(const std::optional<std::string>& community);
void DeleteNamespaces(const std::vector<std::string>& namespaces);

// A secrets.kernelsecrets.dev manifest.
json SecretManifest(const std::string& ns, const std::string& name, const std::string& spec_name,
                    const std::string& value);
json ShareManifest(const std::string& ns, const std::string& name, const std::string& secret_name,
                   const std::string& community);

// Grants `user` the built-in ClusterRole `role` in `ns` (kernel-secrets' rights aggregate into it).
void Bind(const std::string& user, const std::string& role, const std::string& ns);

// Makes `user` a community admin of `community` with plain RBAC, as the chart's template does.
void MakeCommunityAdmin(const std::string& user, const std::string& community);

// The image of the local node named by the env file's `variable` (KERNEL_SECRETS_KERNEL_IMAGE, ...).
std::string NodeImage(const std::string& variable);
// Pod Security's restricted profile for a container, which the tests' pods pass.
json RestrictedSecurityContext();
// Creates the pod `manifest`, retrying while its new namespace has no ServiceAccount yet; returns the
// stored pod, or null after a test failure.
json CreatePod(const json& manifest);
// The same as a server dry run: the pod as admission (webhooks, Pod Security) would store it, never
// stored nor run; null after a test failure naming the last refusal.
json AdmitPod(const json& manifest);

// The minor version of the local cluster's API server (20 for 1.20).
int ServerMinorVersion();
// The first minor versions whose API servers have, on by default, what some tests check.
inline constexpr int kCelValidationSince = 25;  // x-kubernetes-validations rules of CRDs (beta)
inline constexpr int kPodSecuritySince = 25;    // Pod Security admission (GA)
inline constexpr int kNativeSidecarsSince = 29;  // init containers with restartPolicy Always (beta)
// Why a pod does not answer yet: its phase and its containers' waiting or terminated reasons.
std::string PodState(const std::string& ns, const std::string& name);

// Options of a kernel pod beyond the default: what a notebook platform may add to its kernels.
struct KernelPodOptions {
  json env_from = json::array();                                  // the container's own envFrom
  json env = json::array({{{"name", "OWN"}, {"value", "own"}}});  // the container's own env
};

// A kernel pod (the default kernel selector, generateName kernel-) running a real IPython kernel
// from the local node's kernel image, never pulled, passing Pod Security's restricted profile.
json KernelPodManifest(const std::string& ns, const KernelPodOptions& options = {});

// Creates a kernel pod from KernelPodManifest, as a notebook platform's kernel start or restart
// would; returns the stored pod.
json CreateKernelPod(const std::string& ns, const KernelPodOptions& options = {});

// The environment of the kernel process in `pod`, asked of the kernel itself: `kubectl exec` runs
// the image's kernel-env, which has the kernel execute `dict(os.environ)` over its ZeroMQ channels
// on the pod's loopback. Waits for the kernel to start and answer.
std::map<std::string, std::string> KernelEnvironment(const json& pod);

// The data of the project's native Secret `kernel-secrets`, decoded; empty when it is missing.
std::map<std::string, std::string> NativeSecretData(const std::string& ns);

// Passes when `env[name]` exists and equals `value`; never prints the value.
::testing::AssertionResult Holds(const std::map<std::string, std::string>& env, const std::string& name,
                                 const std::string& value);

// Fails the test if any value from NewSecretValue() is found in etcd (read with etcdctl), in any
// Event, or in the logs of the operator, the injector, the API server, the kubelet or containerd.
void ExpectNoPlaintextAnywhere();

// A test with two fresh projects in one fresh community, deleted afterwards.
class ProjectsTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::string community_;
  std::string project_a_;
  std::string project_b_;
  std::vector<std::string> namespaces_;  // deleted in TearDown
  Kubectl admin_;
};

// ProjectsTest with the users who share: alice, an editor of project A, and carol, an editor of A
// and the admin of the community.
class SharingTest : public ProjectsTest {
 protected:
  void SetUp() override;

  Kubectl As(const std::string& user) const { return Kubectl(user, {"system:authenticated"}); }

  // Secret `name` of project A (spec.name `spec_name`) with a fresh value, created by alice and
  // shared into the community by carol as `name`-share; returns the value.
  std::string CreateSharedSecret(const std::string& name, const std::string& spec_name);

  // Waits until the native Secret of `ns` holds `value` under `name`, or (nullopt) no `name`.
  bool EventuallyNativeHas(const std::string& ns, const std::string& name, const std::optional<std::string>& value);

  std::string alice_, carol_;
};

}  // namespace ks::e2e
