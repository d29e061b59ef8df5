#include "plugin/kernel_status.h"

#include <algorithm>

#include "core/api/constants.h"
#include "core/kube/object.h"

namespace ks::plugin {
namespace {

// Revisions are long digests; like git, a prefix is enough for a person to tell them apart.
constexpr std::size_t kShownRevisionLength = 12;

std::string RevisionOf(const json& object) { return kube::Annotation(object, api::kRevisionAnnotation); }

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
    if (revision.empty()) continue;
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
        {kernel.pod, kernel.revision.substr(0, kShownRevisionLength), kernel.up_to_date ? "yes" : "restart needed"});
  }
  return table;
}

}  // namespace ks::plugin
