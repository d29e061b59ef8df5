// The chart writes each pod selector twice, from one value: as a webhook's objectSelector (which
// pods the API server sends to the injector) and as a flag of the binaries (which pods they act
// on). Rendered for every platform's values and a selector with every operator, both forms must
// hold the same requirements, or a pod would be sent and ignored, or acted on but never sent.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <optional>

#include "core/kube/label_selector.h"
#include "tests/e2e/kubectl.h"

namespace ks::e2e {
namespace {

const std::string kChart = std::string(KS_REPO_ROOT) + "/charts/kernel-secrets";

// Scalars become strings: every value a selector holds is one.
json ToJson(const YAML::Node& node) {
  if (node.IsMap()) {
    json object = json::object();
    for (const auto& entry : node) object[entry.first.as<std::string>()] = ToJson(entry.second);
    return object;
  }
  if (node.IsSequence()) {
    json array = json::array();
    for (const auto& item : node) array.push_back(ToJson(item));
    return array;
  }
  return node.IsNull() ? json() : json(node.as<std::string>());
}

// Every object `helm template` renders with `values_args`.
std::vector<json> Render(const std::vector<std::string>& values_args) {
  static const std::string helm = [] {
    CommandResult installed = RunCommand({std::string(KS_REPO_ROOT) + "/scripts/install-helm"});
    EXPECT_TRUE(installed.ok()) << "scripts/install-helm failed: " << installed.err;
    std::string path = installed.out;
    while (!path.empty() && path.back() == '\n') path.pop_back();
    return path;
  }();
  std::vector<std::string> argv = {helm, "template", "kernel-secrets", kChart};
  argv.insert(argv.end(), values_args.begin(), values_args.end());
  CommandResult rendered = RunCommand(argv);
  EXPECT_TRUE(rendered.ok()) << "helm template failed: " << rendered.err;
  std::vector<json> objects;
  for (const YAML::Node& document : YAML::LoadAll(rendered.out)) {
    if (document.IsMap()) objects.push_back(ToJson(document));
  }
  return objects;
}

const json* Find(const std::vector<json>& objects, const std::string& kind, const std::string& name) {
  for (const json& object : objects) {
    if (object.value("kind", "") == kind && object["metadata"].value("name", "") == name) return &object;
  }
  return nullptr;
}

// The objectSelector of webhook `webhook` of the injector's configuration; nullopt without it.
std::optional<kube::LabelSelector> ObjectSelector(const std::vector<json>& objects, const std::string& webhook) {
  const json* configuration = Find(objects, "MutatingWebhookConfiguration", "kernel-secrets-injector");
  if (configuration == nullptr) return std::nullopt;
  for (const json& entry : (*configuration)["webhooks"]) {
    if (entry.value("name", "") != webhook) continue;
    StatusOr<kube::LabelSelector> selector = kube::LabelSelector::FromJson(entry["objectSelector"]);
    EXPECT_TRUE(selector.ok()) << webhook << ": " << selector.status().message();
    if (selector.ok()) return std::move(*selector);
  }
  return std::nullopt;
}

// The value of `--flag` of the Deployment `deployment`'s first container; nullopt without it.
std::optional<kube::LabelSelector> FlagSelector(const std::vector<json>& objects, const std::string& deployment,
                                                const std::string& flag) {
  const json* object = Find(objects, "Deployment", deployment);
  if (object == nullptr) return std::nullopt;
  const json& args = (*object)["spec"]["template"]["spec"]["containers"][0]["args"];
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] != flag) continue;
    StatusOr<kube::LabelSelector> selector = kube::LabelSelector::Parse(args[i + 1].get<std::string>());
    EXPECT_TRUE(selector.ok()) << deployment << " " << flag << ": " << selector.status().message();
    if (selector.ok()) return std::move(*selector);
  }
  return std::nullopt;
}

void ExpectSame(const std::optional<kube::LabelSelector>& a, const std::optional<kube::LabelSelector>& b,
                const std::string& what) {
  ASSERT_EQ(a.has_value(), b.has_value()) << what << ": one form is missing";
  if (a) {
    EXPECT_EQ(a->ToString(), b->ToString()) << what;
  }
}

struct Values {
  std::string description;
  std::vector<std::string> helm_args;
  bool notebook_servers;
};

const std::vector<Values>& EveryPlatform() {
  static const std::vector<Values> values = {
      {"the defaults", {}, false},
      {"Enterprise Gateway", {"-f", kChart + "/platforms/enterprise-gateway.yaml"}, false},
      {"JupyterHub", {"-f", kChart + "/platforms/jupyterhub.yaml"}, true},
      {"Kubeflow", {"-f", kChart + "/platforms/kubeflow.yaml"}, true},
      {"every operator",
       {"--set-json",
        R"(kernelSelector={"matchLabels":{"component":"kernel"},"matchExpressions":[)"
        R"({"key":"tier","operator":"NotIn","values":["gpu","tpu"]},{"key":"app","operator":"In","values":["eg","jeg"]},)"
        R"({"key":"legacy","operator":"DoesNotExist"},{"key":"kernel_id","operator":"Exists"}]})",
        "--set-json",
        R"(notebookServers.selector={"matchExpressions":[{"key":"notebook-name","operator":"Exists"},)"
        R"({"key":"hub.jupyter.org/network-access-hub","operator":"DoesNotExist"}]})"},
       true},
  };
  return values;
}

TEST(ChartSelectors, TheKernelWebhookAndTheInjectorSelectTheSamePods) {
  for (const Values& values : EveryPlatform()) {
    const std::vector<json> objects = Render(values.helm_args);
    const std::optional<kube::LabelSelector> sent = ObjectSelector(objects, "pods.kernelsecrets.dev");
    ASSERT_TRUE(sent.has_value()) << values.description << ": no kernel-pod webhook";
    ExpectSame(sent, FlagSelector(objects, "kernel-secrets-injector", "--kernel-selector"), values.description);
  }
}

TEST(ChartSelectors, TheNotebookServerWebhookAndBothBinariesSelectTheSamePods) {
  for (const Values& values : EveryPlatform()) {
    const std::vector<json> objects = Render(values.helm_args);
    const std::optional<kube::LabelSelector> sent = ObjectSelector(objects, "notebook-servers.kernelsecrets.dev");
    EXPECT_EQ(sent.has_value(), values.notebook_servers) << values.description;
    for (const char* deployment : {"kernel-secrets-injector", "kernel-secrets-operator"}) {
      ExpectSame(sent, FlagSelector(objects, deployment, "--notebook-server-selector"),
                 values.description + ", " + deployment);
    }
  }
}

}  // namespace
}  // namespace ks::e2e
