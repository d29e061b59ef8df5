#include "core/api/notebook_servers.h"

namespace ks::api {

namespace {
constexpr const char* kFlag = "notebook-server-selector";
}

void DefineNotebookServerSelectorFlag(Flags& flags) {
  flags.Define(kFlag, "",
               "the label selector of notebook-server pods, whose kernels restart inside them, as for "
               "--kernel-selector (e.g. component=singleuser-server for JupyterHub, notebook-name for "
               "Kubeflow); empty: none");
}

StatusOr<std::optional<kube::LabelSelector>> NotebookServerSelectorFromFlags(const Flags& flags) {
  const std::string& text = flags.Get(kFlag);
  if (text.empty()) return std::optional<kube::LabelSelector>();
  StatusOr<kube::LabelSelector> selector = kube::LabelSelector::Parse(text);
  if (!selector.ok()) return InvalidArgument("--" + std::string(kFlag) + ": " + selector.status().message());
  return std::optional<kube::LabelSelector>(std::move(*selector));
}

}  // namespace ks::api
