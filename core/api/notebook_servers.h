// --notebook-server-selector, which the injector and the operator share: the labels of
// notebook-server pods (JupyterHub's singleuser servers, Kubeflow's notebooks), whose kernels
// restart inside the pod and get the project's secrets from a volume (api/constants.h). Both
// binaries must be given the same selector: the injector mounts the volume into those pods, the
// operator keeps the volume's revision current on them.
#pragma once

#include <optional>

#include "core/common/flags.h"
#include "core/kube/label_selector.h"

namespace ks::api {

void DefineNotebookServerSelectorFlag(Flags& flags);

// nullopt when the flag is empty (no notebook-server pods); InvalidArgument naming the flag when it
// is not a label selector.
StatusOr<std::optional<kube::LabelSelector>> NotebookServerSelectorFromFlags(const Flags& flags);

}  // namespace ks::api
