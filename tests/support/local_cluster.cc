#include "support/local_cluster.h"

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <thread>
#include <utility>

namespace ks::testing {
namespace {

namespace fs = std::filesystem;

// The repository's scripts/, found from this file's own path (CMake compiles it by absolute path).
fs::path ScriptsDir() { return KS_SCRIPTS_DIR; }

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// Runs `command` under bash with local-up's env file sourced; returns its standard output.
StatusOr<std::string> RunWithClusterEnv(const std::string& command) {
  const std::string env_file = (fs::path(StateDir()) / "env").string();
  if (!fs::exists(env_file)) return FailedPrecondition(env_file + " is missing: run scripts/local-up first");
  const std::string script = "set -e; source " + ShellQuote(env_file) + "; " + command;
  FILE* pipe = popen(("bash -c " + ShellQuote(script)).c_str(), "r");
  if (pipe == nullptr) return Internal("cannot run: " + command);
  std::string output;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int exit_status = pclose(pipe);
  if (exit_status != 0) return Internal(command + " failed (status " + std::to_string(exit_status) + "): " + output);
  return output;
}

}  // namespace

std::string StateDir() {
  const char* dir = std::getenv("KERNEL_SECRETS_STATE_DIR");
  return dir != nullptr && *dir != '\0' ? dir : "/tmp/kernel-secrets-local";
}

StatusOr<kube::ClientConfig> LocalClusterConfig() {
  const char* path = std::getenv("KUBECONFIG");
  if (path == nullptr || *path == '\0') {
    return FailedPrecondition(
        "KUBECONFIG is not set: start the control plane with scripts/local-up and source its env file");
  }
  return kube::LoadKubeconfig(path);
}

Status RestartComponent(const std::string& component) {
  return RunWithClusterEnv(ShellQuote((ScriptsDir() / "local-restart").string()) + " " + ShellQuote(component))
      .status();
}

StatusOr<std::int64_t> CompactEtcd() {
  StatusOr<std::string> status = RunWithClusterEnv("etcdctl endpoint status --write-out=json");
  if (!status.ok()) return status.status();
  const nlohmann::json parsed = nlohmann::json::parse(*status, nullptr, false);
  const nlohmann::json::json_pointer revision_path("/0/Status/header/revision");
  if (!parsed.is_array() || !parsed.contains(revision_path)) return Internal("unexpected etcdctl output: " + *status);
  const auto revision = parsed[revision_path].get<std::int64_t>();
  KS_RETURN_IF_ERROR(RunWithClusterEnv("etcdctl compact " + std::to_string(revision)).status());
  return revision;
}

StatusOr<int> ComponentPid(const std::string& component) {
  const fs::path pid_file = fs::path(StateDir()) / "pids" / (component + ".pid");
  int pid = 0;
  if (!(std::ifstream(pid_file) >> pid) || pid <= 0) return FailedPrecondition("no pid in " + pid_file.string());
  // The recorded program's name, e.g. kube-apiserver or kernel-secrets-operator, ends with the component's.
  std::ifstream cmdline_file("/proc/" + std::to_string(pid) + "/cmdline");
  const std::string cmdline{std::istreambuf_iterator<char>(cmdline_file), std::istreambuf_iterator<char>()};
  const std::string program = fs::path(cmdline.substr(0, cmdline.find('\0'))).filename().string();
  if (program.size() < component.size() || program.compare(program.size() - component.size(), component.size(),
                                                            component) != 0) {
    return FailedPrecondition(component + ": pid " + std::to_string(pid) + " runs '" + program + "'");
  }
  return pid;
}

StatusOr<std::unique_ptr<FrozenComponent>> FrozenComponent::Freeze(const std::string& component,
                                                                   std::chrono::seconds at_most) {
  StatusOr<int> pid = ComponentPid(component);
  if (!pid.ok()) return pid.status();
  const std::string watchdog = "(sleep " + std::to_string(at_most.count()) + "; kill -CONT " + std::to_string(*pid) +
                               ") </dev/null >/dev/null 2>&1 &";
  if (std::system(watchdog.c_str()) != 0) return Internal("cannot start the watchdog that continues " + component);
  if (kill(*pid, SIGSTOP) != 0) return Internal("cannot stop " + component);
  return std::unique_ptr<FrozenComponent>(new FrozenComponent(*pid));
}

FrozenComponent::~FrozenComponent() { Thaw(); }

void FrozenComponent::Thaw() {
  if (std::exchange(frozen_, false)) kill(pid_, SIGCONT);
}

bool Eventually(const std::function<bool()>& condition, std::chrono::seconds deadline) {
  const auto give_up = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

std::string UniqueName(const std::string& prefix) {
  thread_local std::mt19937 random(std::random_device{}());
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "-%08x", static_cast<unsigned>(random()));
  return prefix + suffix;
}

void ClusterTest::SetUp() {
  StatusOr<kube::ClientConfig> config = LocalClusterConfig();
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  config_ = *config;
  client_ = std::make_unique<kube::Client>(config_);
  namespace_ = UniqueName("ks-test");
  const nlohmann::json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", namespace_}}}};
  StatusOr<nlohmann::json> created = client_->Create(kube::resources::kNamespaces, "", ns);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
}

void ClusterTest::TearDown() {
  if (client_ == nullptr || namespace_.empty()) return;
  Status deleted = client_->Delete(kube::resources::kNamespaces, "", namespace_);
  EXPECT_TRUE(deleted.ok() || deleted.code() == StatusCode::kNotFound) << deleted.ToString();
}

}  // namespace ks::testing
