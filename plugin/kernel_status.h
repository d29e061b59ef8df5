// What `status` shows: which kernel pods got the project's current secrets and which need a
// restart. The injector stamps each kernel pod with the revision of the project's native Secret
// it saw at creation; a pod is up to date when that equals the native Secret's revision now. Pure.
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

// The pods among `pods` (Pod objects) that the injector stamped, by name.
std::vector<KernelRevision> CompareKernels(const json& pods, const std::string& project_revision);

// Columns POD, REVISION (shortened), UP-TO-DATE ("yes" or "restart needed").
Table KernelTable(const std::vector<KernelRevision>& kernels);

}  // namespace ks::plugin
