// Label-selector flags, and --notebook-server-selector, which the injector and the operator share:
// the labels of notebook-server pods (JupyterHub's singleuser servers, Kubeflow's notebooks), whose
// kernels restart inside the pod and get the project's secrets from a volume (api/constants.h).
// Both binaries must be given the same selector: the injector mounts the volume into those pods,
// the operator keeps the volume's revision current on them.
#pragma once

#include <optional>
#include <string>

#include "core/common/flags.h"
#include "core/kube/label_selector.h"

namespace ks::api {

// A flag whose value is a label selector as kubectl -l takes it, parsed into `selector` (whose value
// now is the default) when the command line is. A value that is not a selector fails the parse
// with a message naming the flag.
CLI::Option* AddLabelSelectorFlag(CLI::App& app, const std::string& name, kube::LabelSelector& selector,
                                  const std::string& help);

// --notebook-server-selector; empty (the default): no notebook-server pods.
void DefineNotebookServerSelectorFlag(CLI::App& app, std::optional<kube::LabelSelector>& selector);

}  // namespace ks::api
