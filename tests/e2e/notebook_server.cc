#include "tests/e2e/notebook_server.h"

#include <gtest/gtest.h>

#include "core/common/encoding.h"
#include "support/local_cluster.h"
#include "tests/e2e/project.h"

namespace ks::e2e {
namespace {

constexpr char kContainer[] = "notebook";

}  // namespace

json NotebookServerManifest(const std::string& ns) {
  json container = {{"name", kContainer},
                    {"image", NodeImage("KERNEL_SECRETS_NOTEBOOK_IMAGE")},
                    {"imagePullPolicy", "Never"},
                    {"securityContext", RestrictedSecurityContext()},
                    // The image's server takes its token from here, as KubeSpawner passes one.
                    {"env", {{{"name", "JUPYTER_TOKEN"}, {"value", testing::UniqueName("token")}}}}};
  return {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata", {{"generateName", "jupyter-"}, {"namespace", ns}, {"labels", {{"component", "singleuser-server"}}}}},
      {"spec",
       {{"automountServiceAccountToken", false},
        {"terminationGracePeriodSeconds", 0},
        {"restartPolicy", "Never"},
        {"containers", json::array({container})}}}};
}

NotebookServer::NotebookServer(const std::string& ns) : pod_(CreatePod(NotebookServerManifest(ns))) {}

CommandResult NotebookServer::Exec(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {
      "exec", pod_["metadata"]["name"], "-n", pod_["metadata"]["namespace"], "-c", kContainer, "--", "notebook-client"};
  argv.insert(argv.end(), args.begin(), args.end());
  return Kubectl().Run(argv);
}

json NotebookServer::Client(const std::vector<std::string>& args) const {
  CommandResult r = Exec(args);
  EXPECT_TRUE(r.ok()) << "notebook-client " << args.front() << " failed: " << r.err;
  return r.ok() ? json::parse(r.out) : json();
}

std::string NotebookServer::StartKernel() const {
  // The first start also waits for the pod to run and its server to listen.
  CommandResult started;
  const bool answered = testing::Eventually(
      [&] {
        started = Exec({"start"});
        return started.ok();
      },
      std::chrono::seconds(120));
  const std::string ns = pod_["metadata"]["namespace"];
  const std::string name = pod_["metadata"]["name"];
  EXPECT_TRUE(answered) << "the notebook server " << ns << "/" << name
                        << " started no kernel (pod: " << PodState(ns, name) << "): " << started.err;
  return answered ? json::parse(started.out).value("id", "") : "";
}

void NotebookServer::RestartKernel(const std::string& id) const {
  EXPECT_EQ(Client({"restart", id}).value("restarted", false), true) << "kernel " << id;
}

EnvironmentDigests NotebookServer::KernelEnvironment(const std::string& id) const {
  const json digests = Client({"env-digests", id});
  return digests.is_object() ? digests.get<EnvironmentDigests>() : EnvironmentDigests();
}

EnvironmentDigests NotebookServer::ServerEnvironment() const {
  const json digests = Client({"server-env-digests"});
  return digests.is_object() ? digests.get<EnvironmentDigests>() : EnvironmentDigests();
}

CellOutputs NotebookServer::Run(const std::string& id, const std::string& code) const {
  const json ran = Client({"run", id, code});
  CellOutputs outputs;
  if (!ran.is_object()) return outputs;
  outputs.status = ran.value("status", "");
  for (const json& output : ran.value("outputs", json::array())) outputs.texts.push_back(output.value("text", ""));
  return outputs;
}

std::string Digest(const std::string& value) { return Sha256Hex(value); }

}  // namespace ks::e2e
