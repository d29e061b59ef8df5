#include "core/api/notebook_servers.h"

namespace ks::api {
namespace {

constexpr char kNotebookServerFlag[] = "--notebook-server-selector";

// Throws the parse error CLI11 reports for flag `name` when `text` is not a selector.
kube::LabelSelector ParseSelectorFlag(const std::string& name, const std::string& text) {
  StatusOr<kube::LabelSelector> parsed = kube::LabelSelector::Parse(text);
  if (!parsed.ok()) throw CLI::ValidationError(name, parsed.status().message());
  return std::move(*parsed);
}

}  // namespace

CLI::Option* AddLabelSelectorFlag(CLI::App& app, const std::string& name, kube::LabelSelector& selector,
                                  const std::string& help) {
  return app
      .add_option_function<std::string>(
          name, [&selector, name](const std::string& text) { selector = ParseSelectorFlag(name, text); }, help)
      ->type_name("SELECTOR")
      ->default_str(selector.ToString());
}

void DefineNotebookServerSelectorFlag(CLI::App& app, std::optional<kube::LabelSelector>& selector) {
  app.add_option_function<std::string>(
         kNotebookServerFlag,
         [&selector](const std::string& text) {
           if (text.empty()) {
             selector.reset();
           } else {
             selector = ParseSelectorFlag(kNotebookServerFlag, text);
           }
         },
         "the label selector of notebook-server pods, whose kernels restart inside them, as for "
         "--kernel-selector (e.g. component=singleuser-server for JupyterHub, notebook-name for "
         "Kubeflow); empty: none")
      ->type_name("SELECTOR")
      ->default_str(selector ? selector->ToString() : "");
}

}  // namespace ks::api
