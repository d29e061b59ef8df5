#include "plugin/commands.h"

#include <chrono>
#include <istream>
#include <ostream>
#include <thread>

#include "core/api/constants.h"
#include "core/api/resources.h"
#include "core/kube/client.h"
#include "core/kube/config.h"
#include "core/kube/object.h"
#include "plugin/kernel_status.h"
#include "plugin/listing.h"
#include "plugin/share_name.h"
#include "plugin/value_input.h"

namespace ks::plugin {
namespace {

using nlohmann::json;

// How long `delete` waits for the operator to take the secret out of the kernels' Secret and let
// the object go (its finalizer); beyond that the operator is likely not running.
constexpr auto kDeleteWait = std::chrono::seconds(60);
constexpr auto kDeletePoll = std::chrono::milliseconds(250);

struct Context {
  const Invocation& invocation;
  kube::Client& client;
  const std::string& ns;
  Io io;

  const std::string& Arg(std::size_t i) const { return invocation.args.at(i); }
};

json SecretObject(const std::string& ns, const std::string& name, const std::string& env_name) {
  return {{"apiVersion", api::kApiVersion},
          {"kind", api::kSecretKind},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"spec", {{"name", env_name}}}};
}

// The new value from the chosen source, prompting with the variable it is for.
StatusOr<std::string> NewValue(const Context& c, const std::string& variable) {
  return ReadValue(c.invocation.value_source, c.invocation.value_file, c.io.in,
                   "Value of " + (variable.empty() ? c.Arg(0) : variable) + " (not echoed): ");
}

json ItemsOf(const json& list) { return list.value("items", json::array()); }

Status Create(const Context& c) {
  const std::string& name = c.Arg(0);
  json secret = SecretObject(c.ns, name, c.invocation.Flag("name"));
  StatusOr<std::string> value = NewValue(c, c.invocation.Flag("name"));
  if (!value.ok()) return value.status();
  secret["spec"]["value"] = std::move(*value);
  KS_RETURN_IF_ERROR(c.client.Create(api::resources::kSecrets, c.ns, secret).status());
  c.io.out << "secret " << name << " created\n";
  return Status::Ok();
}

// The secrets of other projects shared into this project's community. What the user may not read
// (the namespace, other projects' shares or secrets) is left out with a warning, not an error:
// the project's own secrets are still worth listing.
std::vector<SharedIn> SharedIntoProject(const Context& c) {
  StatusOr<json> ns_object = c.client.Get(kube::resources::kNamespaces, "", c.ns);
  if (!ns_object.ok()) {
    c.io.err << "warning: cannot read namespace " << c.ns << " to find its community: " << ns_object.status().message()
             << "\n";
    return {};
  }
  std::optional<api::ProjectView> project = api::ViewProject(*ns_object);
  if (!project || !project->community) return {};
  StatusOr<json> shares = c.client.List(api::resources::kSecretShares, "");
  if (!shares.ok()) {
    c.io.err << "warning: cannot list the secrets shared into community " << *project->community << ": "
             << shares.status().message() << "\n";
    return {};
  }
  std::vector<SharedIn> shared;
  for (api::ShareView& share : SharesInto(ItemsOf(*shares), *project->community, c.ns)) {
    StatusOr<json> secret = c.client.Get(api::resources::kSecrets, share.key.ns, share.secret_name);
    shared.push_back({std::move(share), secret.ok() ? *secret : json()});
  }
  return shared;
}

Status List(const Context& c) {
  StatusOr<json> secrets = c.client.List(api::resources::kSecrets, c.ns);
  if (!secrets.ok()) return secrets.status();
  StatusOr<json> shares = c.client.List(api::resources::kSecretShares, c.ns);
  if (!shares.ok()) return shares.status();
  const Table table = SecretTable(ItemsOf(*secrets), ItemsOf(*shares), SharedIntoProject(c));
  c.io.out << (c.invocation.output.empty() ? RenderTable(table)
                                           : RenderDocument(TableObjects(table), c.invocation.output));
  return Status::Ok();
}

Status Share(const Context& c) {
  const std::string& name = c.Arg(0);
  const std::string community = c.invocation.Flag("community");
  const json share = {{"apiVersion", api::kApiVersion},
                      {"kind", api::kSecretShareKind},
                      {"metadata", {{"name", ShareName(name, community)}, {"namespace", c.ns}}},
                      {"spec", {{"secretName", name}, {"community", community}}}};
  KS_RETURN_IF_ERROR(c.client.Create(api::resources::kSecretShares, c.ns, share).status());
  c.io.out << "secret " << name << " shared into community " << community << "\n";
  return Status::Ok();
}

// Deletes every share of the secret into the community, whatever it is named: shares made with
// kubectl count as much as the plugin's own.
Status Unshare(const Context& c) {
  const std::string& name = c.Arg(0);
  const std::string community = c.invocation.Flag("community");
  StatusOr<json> shares = c.client.List(api::resources::kSecretShares, c.ns);
  if (!shares.ok()) return shares.status();
  bool found = false;
  for (const json& object : ItemsOf(*shares)) {
    const api::ShareView share = api::ViewShare(object);
    if (share.secret_name != name || share.community != community) continue;
    Status deleted = c.client.Delete(api::resources::kSecretShares, c.ns, share.key.name);
    if (!deleted.ok() && deleted.code() != StatusCode::kNotFound) return deleted;
    found = true;
  }
  if (!found)
    return NotFound("secret " + name + " is not shared into community " + community + " from namespace " + c.ns);
  c.io.out << "secret " << name << " unshared from community " << community << "\n";
  return Status::Ok();
}

Status Clone(const Context& c) {
  const api::ObjectKey source = *ParseSourceSecret(c.Arg(0));  // ParseArguments checked it
  const std::string& name = c.Arg(1);
  json secret = SecretObject(c.ns, name, c.invocation.Flag("name"));
  secret["spec"]["copyFrom"] = {{"namespace", source.ns}, {"name", source.name}};
  if (c.invocation.value_source != ValueSource::kNone) {
    StatusOr<std::string> value = NewValue(c, c.invocation.Flag("name"));
    if (!value.ok()) return value.status();
    secret["spec"]["value"] = std::move(*value);
  }
  KS_RETURN_IF_ERROR(c.client.Create(api::resources::kSecrets, c.ns, secret).status());
  c.io.out << "secret " << name << " created as a copy of " << source.ToString() << "\n";
  return Status::Ok();
}

Status Edit(const Context& c) {
  const std::string& name = c.Arg(0);
  json patch = {{"spec", json::object()}};
  if (const std::string env_name = c.invocation.Flag("name"); !env_name.empty()) patch["spec"]["name"] = env_name;
  if (c.invocation.value_source != ValueSource::kNone) {
    StatusOr<std::string> value = NewValue(c, c.invocation.Flag("name"));
    if (!value.ok()) return value.status();
    patch["spec"]["value"] = std::move(*value);
  }
  KS_RETURN_IF_ERROR(c.client.MergePatch(api::resources::kSecrets, c.ns, name, patch).status());
  c.io.out << "secret " << name << " edited\n";
  return Status::Ok();
}

// Deletes, then waits until the object is gone: only then has the operator taken the secret out
// of the project's native Secret, which is what "destroyed" promises.
Status Delete(const Context& c) {
  const std::string& name = c.Arg(0);
  KS_RETURN_IF_ERROR(c.client.Delete(api::resources::kSecrets, c.ns, name));
  const auto deadline = std::chrono::steady_clock::now() + kDeleteWait;
  while (true) {
    StatusOr<json> remaining = c.client.Get(api::resources::kSecrets, c.ns, name);
    if (!remaining.ok() && remaining.status().code() == StatusCode::kNotFound) break;
    if (!remaining.ok() && !remaining.status().IsRetryable()) return remaining.status();
    if (std::chrono::steady_clock::now() > deadline) {
      return Unavailable("secret " + name + " is marked for deletion but still there after " +
                         std::to_string(kDeleteWait.count()) + "s; is the kernel-secrets operator running?");
    }
    std::this_thread::sleep_for(kDeletePoll);
  }
  c.io.out << "Secret destroyed\n";
  return Status::Ok();
}

// How long one notebook server may take to report its kernels.
constexpr std::chrono::seconds kKernelReportTimeout{10};

// The kernels running inside each notebook server, asked of the provisioner in the pod. A server
// that cannot be asked (no pods/exec right, an image without the provisioner) is named on stderr
// and skipped: the kernel pods' status is still worth printing.
std::vector<ServerKernel> KernelsOf(const Context& c, const std::vector<json>& servers, const std::string& revision) {
  std::vector<ServerKernel> kernels;
  for (const json& server : servers) {
    const std::string name = kube::MetadataField(server, "name");
    StatusOr<kube::ExecResult> report =
        c.client.Exec(c.ns, name, ContainerWithValues(server), KernelReportCommand(), kKernelReportTimeout);
    if (report.ok() && report->exit_code != 0) {
      report = Unavailable("kernel-secrets-kernels exited with " + std::to_string(*report->exit_code) + ": " +
                           report->err.substr(0, report->err.find('\n')));
    }
    const json parsed = report.ok() ? json::parse(report->out, nullptr, /*allow_exceptions=*/false) : json();
    if (!report.ok() || !parsed.is_object()) {
      c.io.err << "warning: cannot list the kernels of notebook server " << name << ": "
               << (report.ok() ? "kernel-secrets-kernels did not print JSON" : report.status().message())
               << " (is the kernel-secrets provisioner installed in its image?)\n";
      continue;
    }
    for (ServerKernel& kernel : CompareServerKernels(name, parsed, revision)) kernels.push_back(std::move(kernel));
  }
  return kernels;
}

Status KernelStatus(const Context& c) {
  StatusOr<json> native = c.client.GetMetadata(kube::resources::kSecrets, c.ns, std::string(api::kNativeSecretName));
  if (!native.ok() && native.status().code() != StatusCode::kNotFound) return native.status();
  StatusOr<json> pods = c.client.List(kube::resources::kPods, c.ns);
  if (!pods.ok()) return pods.status();
  const std::string revision = ProjectRevision(native.ok() ? *native : json());
  const Table kernel_pods = KernelTable(CompareKernels(ItemsOf(*pods), revision));
  const std::vector<json> servers = NotebookServers(ItemsOf(*pods));
  const std::optional<Table> server_kernels =
      servers.empty() ? std::nullopt : std::optional(ServerKernelTable(KernelsOf(c, servers, revision)));
  if (!c.invocation.output.empty()) {
    const json document = {{"kernelPods", TableObjects(kernel_pods)},
                           {"notebookServerKernels", server_kernels ? TableObjects(*server_kernels) : json::array()}};
    c.io.out << RenderDocument(document, c.invocation.output);
    return Status::Ok();
  }
  c.io.out << RenderTable(kernel_pods);
  if (server_kernels) c.io.out << "\n" << RenderTable(*server_kernels);
  return Status::Ok();
}

Status Execute(const Context& c) {
  const std::string& command = c.invocation.command;
  if (command == "create") return Create(c);
  if (command == "list") return List(c);
  if (command == "share") return Share(c);
  if (command == "unshare") return Unshare(c);
  if (command == "clone") return Clone(c);
  if (command == "edit") return Edit(c);
  if (command == "delete") return Delete(c);
  if (command == "status") return KernelStatus(c);
  return InvalidArgument("unknown command \"" + command + "\"");
}

}  // namespace

int Run(const Invocation& invocation, Io io) {
  StatusOr<kube::ClientConfig> config = kube::LoadDefaultConfig(invocation.kubeconfig, invocation.context);
  if (!config.ok()) {
    io.err << "error: cannot load the kubeconfig: " << config.status().message() << "\n";
    return 1;
  }
  const std::string ns = ResolveNamespace(invocation.ns, config->default_namespace);
  config->user_agent = "kubectl-kernel_secrets";
  kube::Client client(*config);
  if (Status s = Execute({invocation, client, ns, io}); !s.ok()) {
    io.err << "error: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace ks::plugin
