// Access to the local control plane that scripts/local-up started, for integration tests: its
// kubeconfig (from $KUBECONFIG), a fixture with a fresh namespace, and the faults tests inject (an
// API server restart, an etcd compaction). A missing control plane fails the tests, never skips them.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/common/status.h"
#include "core/kube/client.h"
#include "core/kube/config.h"

namespace ks::testing {

// $KERNEL_SECRETS_STATE_DIR, else local-up's default /tmp/kernel-secrets-local.
std::string StateDir();

// The admin kubeconfig named by $KUBECONFIG; FailedPrecondition that says how to start the control
// plane when it is missing.
StatusOr<kube::ClientConfig> LocalClusterConfig();

// Restarts `component` (kube-apiserver, etcd, operator, ...) with its recorded command line
// (scripts/local-restart) and returns once it is ready.
Status RestartComponent(const std::string& component);

// Compacts etcd's history up to its current revision and returns that revision: every older
// resourceVersion is gone afterwards.
StatusOr<std::int64_t> CompactEtcd();

// A component of the local cluster stopped with SIGSTOP, as if its host froze: it keeps its
// connections and answers nothing until it is continued (SIGCONT) by Thaw, by the destructor, or,
// should the test process die first, by a watchdog process after `at_most`. So no path of a test
// leaves it stopped.
class FrozenComponent {
 public:
  // `component` is a name of local-up's pid files (kube-apiserver, etcd, operator, ...).
  static StatusOr<std::unique_ptr<FrozenComponent>> Freeze(const std::string& component,
                                                           std::chrono::seconds at_most);
  ~FrozenComponent();
  FrozenComponent(const FrozenComponent&) = delete;
  FrozenComponent& operator=(const FrozenComponent&) = delete;

  void Thaw();

 private:
  explicit FrozenComponent(int pid) : pid_(pid) {}
  const int pid_;
  bool frozen_ = true;
};

// The pid local-up recorded for `component`, checked to still run that component's program.
StatusOr<int> ComponentPid(const std::string& component);

// Polls `condition` until it holds or `deadline` passes: waits for asynchronous effects (watch
// events, controllers) without asserting anything about how long they take.
bool Eventually(const std::function<bool()>& condition, std::chrono::seconds deadline = std::chrono::seconds(60));

// `prefix` and 8 random hex digits: a valid, unused-looking Kubernetes name.
std::string UniqueName(const std::string& prefix);

// A Client for the local cluster and a fresh namespace, deleted after the test.
class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  const kube::ClientConfig& config() const { return config_; }
  kube::Client& client() { return *client_; }
  const std::string& ns() const { return namespace_; }

 private:
  kube::ClientConfig config_;
  std::unique_ptr<kube::Client> client_;
  std::string namespace_;
};

}  // namespace ks::testing
