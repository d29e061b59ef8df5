// The chart install that `scripts/local-up --chart` made on the local node, as its tests see it:
// the release's namespace, pods and Secrets, helm, and the node's containerd (ctr), from the
// environment of local-up's env file. Secrets' data is returned for comparison only, never printed.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "tests/e2e/kubectl.h"

namespace ks::chart_install {

using e2e::CommandResult;
using e2e::json;

// The release local-up installs (its fullname, and so the prefix of its objects' names).
inline constexpr char kRelease[] = "kernel-secrets";

// An environment variable of local-up's env file; fails the test (and returns "") when it is unset.
std::string FromEnv(const char* name);

// KERNEL_SECRETS_RELEASE_NAMESPACE: where the release, its Lease and its keyring live.
std::string ReleaseNamespace();

// The repository's charts/kernel-secrets.
std::string ChartDir();

// Runs helm (scripts/install-helm's) with `args`.
CommandResult Helm(const std::vector<std::string>& args);

// Runs ctr against the node's containerd (KERNEL_SECRETS_CONTAINERD), in the kubelet's namespace k8s.io.
CommandResult Ctr(const std::vector<std::string>& args);

// The release's pods, of one component ("operator", "injector") or of every component ("").
std::vector<json> ReleasePods(const std::string& component = "");

// Whether the pod is Ready and not being deleted.
bool IsReady(const json& pod);

// The ID of the pod's container `container` as containerd knows it (its status' containerID
// without the "containerd://" prefix); "" when it has none.
std::string ContainerId(const json& pod, const std::string& container);

// The host pid of the task of container `container_id`, from containerd's task list.
std::optional<pid_t> ContainerPid(const std::string& container_id);

// The `data` of Secret `name` in the release namespace; null when it does not exist. Key material:
// compare it, never print it.
json ReleaseSecretData(const std::string& name);

}  // namespace ks::chart_install
