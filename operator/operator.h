// The operator process: informers, webhooks (all replicas), and the controller (the one replica
// that holds the Lease). RunOperator returns when SIGINT or SIGTERM arrives, or leadership is lost.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/https/server.h"
#include "core/kube/label_selector.h"

namespace ks::op {

struct OperatorOptions {
  std::string kubeconfig;  // empty: $KUBECONFIG, in-cluster, ~/.kube/config
  std::string keyring_file;
  https::ServerOptions server;        // webhooks, probes and metrics
  std::string ns = "kernel-secrets";  // where the Lease lives
  bool leader_elect = true;
  std::string identity;  // unique per replica
  int workers = 2;
  std::chrono::seconds resync_period{600};
  std::chrono::seconds keyring_refresh{10};
  // Notebook-server pods whose volume's revision the controller keeps current; nullopt: none.
  std::optional<kube::LabelSelector> notebook_servers;
};

// The process exit code.
int RunOperator(const OperatorOptions& options);

}  // namespace ks::op
