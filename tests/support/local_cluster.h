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

// Restarts kube-apiserver with its flags (scripts/local-restart) and returns once it is ready.
Status RestartApiServer();

// Compacts etcd's history up to its current revision and returns that revision: every older
// resourceVersion is gone afterwards.
StatusOr<std::int64_t> CompactEtcd();

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
