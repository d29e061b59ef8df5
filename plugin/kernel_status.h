// What `status` shows: which kernels got the project's current secrets and which need a restart.
//   - Kernel pods: the injector stamps each with the revision of the project's native Secret it saw
//     at creation; a pod is up to date when that equals the native Secret's revision now.
//   - Notebook-server pods (annotation kernelsecrets.dev/delivery=volume): their kernels restart
//     inside them, each launched by the provisioner with the revision the pod's volume had then,
//     which the provisioner's `kernel-secrets-kernels` reports from inside the pod.
// Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "plugin/table.h"

namespace ks::plugin {

using nlohmann::json;

struct KernelRevision {
  std::string pod;
  std::string revision;  // as stamped on the pod
  bool up_to_date = false;
};

// The revision kernels created now would get: the native Secret's annotation, or "none" when the
// project has no native Secret (`native_secret` null), which is what the injector stamps then.
std::string ProjectRevision(const json& native_secret);

// The kernel pods among `pods` (Pod objects) that the injector stamped, by name; notebook servers
// are not among them.
std::vector<KernelRevision> CompareKernels(const json& pods, const std::string& project_revision);

// Columns POD, REVISION (shortened), UP-TO-DATE ("yes" or "restart needed").
Table KernelTable(const std::vector<KernelRevision>& kernels);

// The notebook-server pods among `pods`, by name.
std::vector<json> NotebookServers(const json& pods);

// The container of a notebook-server pod that has the values mounted (where the provisioner runs);
// empty when none has.
std::string ContainerWithValues(const json& pod);

// The command that reports a notebook server's kernels, run in that container.
std::vector<std::string> KernelReportCommand();

struct ServerKernel {
  std::string server;  // the pod
  std::string kernel;  // the Jupyter kernel id
  std::string revision;
  bool up_to_date = false;
};

// The live kernels of `server` in `report` (kernel-secrets-kernels' output), oldest launch first.
std::vector<ServerKernel> CompareServerKernels(const std::string& server, const json& report,
                                               const std::string& project_revision);

// Columns NOTEBOOK-SERVER, KERNEL (shortened), REVISION (shortened), UP-TO-DATE.
Table ServerKernelTable(const std::vector<ServerKernel>& kernels);

}  // namespace ks::plugin
