#include "plugin/kernel_status.h"

#include <algorithm>

#include "core/api/constants.h"
#include "core/kube/object.h"

namespace ks::plugin {
namespace {

// Revisions are long digests; like git, a prefix is enough for a person to tell them apart.
constexpr std::size_t kShownRevisionLength = 12;

// Kernel ids are UUIDs; their first group tells a project's few kernels apart.
constexpr std::size_t kShownKernelIdLength = 8;

std::string RevisionOf(const json& object) { return kube::Annotation(object, api::kRevisionAnnotation); }

bool IsNotebookServer(const json& pod) {
  return kube::Annotation(pod, api::kDeliveryAnnotation) == api::kDeliveryVolume;
}

std::string UpToDateText(bool up_to_date) { return up_to_date ? "yes" : "restart needed"; }

}  // namespace

std::string ProjectRevision(const json& native_secret) {
  if (native_secret.is_null()) return "none";
  const std::string revision = RevisionOf(native_secret);
  return revision.empty() ? "unknown" : revision;
}

std::vector<KernelRevision> CompareKernels(const json& pods, const std::string& project_revision) {
  std::vector<KernelRevision> kernels;
  if (!pods.is_array()) return kernels;
  for (const json& pod : pods) {
    const std::string revision = RevisionOf(pod);
    if (revision.empty() || IsNotebookServer(pod)) continue;
    kernels.push_back({kube::MetadataField(pod, "name"), revision, revision == project_revision});
  }
  std::sort(kernels.begin(), kernels.end(),
            [](const KernelRevision& a, const KernelRevision& b) { return a.pod < b.pod; });
  return kernels;
}

Table KernelTable(const std::vector<KernelRevision>& kernels) {
  Table table{{"POD", "REVISION", "UP-TO-DATE"}, {}};
  for (const KernelRevision& kernel : kernels) {
    table.rows.push_back(
        {kernel.pod, kernel.revision.substr(0, kShownRevisionLength), UpToDateText(kernel.up_to_date)});
  }
  return table;
}

std::vector<json> NotebookServers(const json& pods) {
  std::vector<json> servers;
  if (!pods.is_array()) return servers;
  for (const json& pod : pods) {
    if (IsNotebookServer(pod)) servers.push_back(pod);
  }
  std::sort(servers.begin(), servers.end(), [](const json& a, const json& b) {
    return kube::MetadataField(a, "name") < kube::MetadataField(b, "name");
  });
  return servers;
}

std::string ContainerWithValues(const json& pod) {
  for (const json& container : pod.value("/spec/containers"_json_pointer, json::array())) {
    for (const json& mount : container.value("volumeMounts", json::array())) {
      if (mount.value("name", "") == api::kValuesVolumeName) return container.value("name", "");
    }
  }
  return "";
}

std::vector<std::string> KernelReportCommand() { return {"kernel-secrets-kernels"}; }

std::vector<ServerKernel> CompareServerKernels(const std::string& server, const json& report,
                                               const std::string& project_revision) {
  std::vector<ServerKernel> kernels;
  if (!report.is_object()) return kernels;
  for (const json& kernel : report.value("kernels", json::array())) {
    if (!kernel.is_object() || !kernel.value("alive", false)) continue;
    const std::string revision = kernel.value("revision", "unknown");
    kernels.push_back({server, kernel.value("kernel_id", ""), revision, revision == project_revision});
  }
  return kernels;
}

Table ServerKernelTable(const std::vector<ServerKernel>& kernels) {
  Table table{{"NOTEBOOK-SERVER", "KERNEL", "REVISION", "UP-TO-DATE"}, {}};
  for (const ServerKernel& kernel : kernels) {
    table.rows.push_back({kernel.server, kernel.kernel.substr(0, kShownKernelIdLength),
                          kernel.revision.substr(0, kShownRevisionLength), UpToDateText(kernel.up_to_date)});
  }
  return table;
}

}  // namespace ks::plugin
