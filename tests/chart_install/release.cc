#include "tests/chart_install/release.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

namespace ks::chart_install {

std::string FromEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    ADD_FAILURE() << name << " is not set: start the cluster with `scripts/local-up --chart` and source its env file";
    return "";
  }
  return value;
}

std::string ReleaseNamespace() { return FromEnv("KERNEL_SECRETS_RELEASE_NAMESPACE"); }

std::string ChartDir() { return std::string(KS_REPO_ROOT) + "/charts/kernel-secrets"; }

CommandResult Helm(const std::vector<std::string>& args) {
  static const std::string helm = [] {
    CommandResult installed = e2e::RunCommand({std::string(KS_REPO_ROOT) + "/scripts/install-helm"});
    EXPECT_TRUE(installed.ok()) << "scripts/install-helm failed: " << installed.err;
    std::string path = installed.out;
    while (!path.empty() && (path.back() == '\n' || path.back() == ' ')) path.pop_back();
    return path;
  }();
  std::vector<std::string> argv = {helm};
  argv.insert(argv.end(), args.begin(), args.end());
  return e2e::RunCommand(argv);
}

CommandResult Ctr(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"ctr", "--address", FromEnv("KERNEL_SECRETS_CONTAINERD"), "--namespace", "k8s.io"};
  argv.insert(argv.end(), args.begin(), args.end());
  return e2e::RunCommand(argv);
}

std::vector<json> ReleasePods(const std::string& component) {
  std::string selector = std::string("app.kubernetes.io/instance=") + kRelease;
  if (!component.empty()) selector += ",app.kubernetes.io/component=" + component;
  const json pods = e2e::Kubectl().Get({"pods", "-n", ReleaseNamespace(), "-l", selector});
  if (pods.is_null()) return {};
  return pods["items"].get<std::vector<json>>();
}

bool IsReady(const json& pod) {
  if (pod["metadata"].contains("deletionTimestamp")) return false;
  for (const json& condition : pod.value("status", json::object()).value("conditions", json::array())) {
    if (condition.value("type", "") == "Ready") return condition.value("status", "") == "True";
  }
  return false;
}

std::string ContainerId(const json& pod, const std::string& container) {
  static const std::string prefix = "containerd://";
  for (const json& status : pod.value("status", json::object()).value("containerStatuses", json::array())) {
    if (status.value("name", "") != container) continue;
    const std::string id = status.value("containerID", "");
    return id.starts_with(prefix) ? id.substr(prefix.size()) : "";
  }
  return "";
}

std::optional<pid_t> ContainerPid(const std::string& container_id) {
  // TASK  PID  STATUS, one line per task.
  CommandResult tasks = Ctr({"tasks", "ls"});
  EXPECT_TRUE(tasks.ok()) << "ctr tasks ls failed: " << tasks.err;
  std::istringstream lines(tasks.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string task;
    long pid = 0;
    if (fields >> task >> pid && task == container_id && pid > 0) return static_cast<pid_t>(pid);
  }
  return std::nullopt;
}

json ReleaseSecretData(const std::string& name) {
  const json secret = e2e::Kubectl().Get({"secret", name, "-n", ReleaseNamespace()});
  return secret.is_null() ? json() : secret.value("data", json::object());
}

}  // namespace ks::chart_install
