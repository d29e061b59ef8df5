// Notebook-server pods for end-to-end tests: a JupyterHub-style single-user server (the local
// node's notebook image: Debian's Jupyter server with the kernel-secrets provisioner), driven as
// JupyterLab drives it, through the image's notebook-client run with `kubectl exec`.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tests/e2e/kubectl.h"

namespace ks::e2e {

// Variable name -> sha256 hex of its value: how the probe reports environments, so that no value
// is ever printed, by it or by a failing assertion.
using EnvironmentDigests = std::map<std::string, std::string>;

// A cell's outputs as the notebook receives them: one text per output (streams merged, results'
// text/plain, error tracebacks), and the reply's status.
struct CellOutputs {
  std::string status;
  std::vector<std::string> texts;
};

// The server pod's manifest, labelled component=singleuser-server as KubeSpawner labels it (the
// selector scripts/local-up gives the binaries), passing Pod Security's restricted profile.
json NotebookServerManifest(const std::string& ns);

class NotebookServer {
 public:
  // Creates the server pod of NotebookServerManifest in `ns`.
  explicit NotebookServer(const std::string& ns);

  const json& pod() const { return pod_; }

  // Starts a kernel of the provisioner-enabled python3 kernelspec, waiting for the server to answer
  // first; its id.
  std::string StartKernel() const;
  // Restarts the kernel through POST /api/kernels/<id>/restart, as "Restart kernel" does.
  void RestartKernel(const std::string& id) const;
  EnvironmentDigests KernelEnvironment(const std::string& id) const;
  // The server process's own environment (PID 1).
  EnvironmentDigests ServerEnvironment() const;
  // Runs `code` as a cell. The texts may hold a value if redaction failed: assert on them, never
  // print them.
  CellOutputs Run(const std::string& id, const std::string& code) const;

 private:
  // Runs notebook-client with `args` in the server's container; its JSON output, or null after a
  // test failure naming the subcommand (its stderr never holds a value).
  json Client(const std::vector<std::string>& args) const;
  CommandResult Exec(const std::vector<std::string>& args) const;

  json pod_;
};

// sha256 hex of `value`, as the probe computes it.
std::string Digest(const std::string& value);

}  // namespace ks::e2e
