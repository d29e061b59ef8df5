// The injector's mutation: golden AdmissionReviews in tests/fixtures/admission/ served through
// ServeAdmission, and what the kubelet would make of the result.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/common/encoding.h"
#include "injector/pod_injection.h"

namespace ks::injector {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(KS_FIXTURES_DIR) / "admission";

// The cluster the fixtures assume: project-a has a native Secret, every other namespace has none.
std::optional<ProjectSecretsSummary> FixtureLookup(const std::string& ns) {
  if (ns != "project-a") return std::nullopt;
  return ProjectSecretsSummary{.revision = "3f2a9c", .names = "API_TOKEN,DB_PASSWORD"};
}

kube::LabelSelector Selector(std::string_view text) { return *kube::LabelSelector::Parse(text); }

const InjectionTargets kDefaultTargets{.kernels = Selector("kernelsecrets.dev/inject=true"),
                                       .notebook_servers = std::nullopt};

admission::AdmissionHandler Injector(InjectionTargets targets = kDefaultTargets) {
  return [targets](const admission::AdmissionRequest& request) {
    return InjectKernelSecrets(request, targets, FixtureLookup);
  };
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

https::HttpRequest Post(std::string body, std::string content_type = "application/json") {
  return {.method = "POST",
          .path = "/mutate/pods",
          .headers = {{"content-type", std::move(content_type)}},
          .body = std::move(body)};
}

// The object as the API server stores it after applying the answer's patch, if any.
json Admitted(const json& object, const json& response) {
  if (!response.contains("patch")) return object;
  EXPECT_EQ(response["patchType"], "JSONPatch");
  StatusOr<std::string> patch = Base64Decode(response["patch"].get<std::string>());
  EXPECT_TRUE(patch.ok());
  return object.patch(json::parse(*patch));
}

std::vector<std::string> FixtureNames() {
  std::vector<std::string> names;
  const std::string suffix = ".review.json";
  for (const auto& entry : fs::directory_iterator(kFixtures)) {
    const std::string file = entry.path().filename().string();
    if (file.ends_with(suffix)) names.push_back(file.substr(0, file.size() - suffix.size()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Each fixture NAME has NAME.review.json (the request body) and NAME.expected.json: httpStatus,
// optionally sentAs (the Content-Type, default application/json), bodyContains, the response
// without its patch, and patchedObject (the object after the patch; absent: no patch).
class GoldenReview : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenReview, AnswersAsRecorded) {
  const std::string body = ReadFile(kFixtures / (GetParam() + ".review.json"));
  const json expected = json::parse(ReadFile(kFixtures / (GetParam() + ".expected.json")));

  // As the injector routes it, and the same answer as from the whole review.
  const https::HttpRequest request = Post(body, expected.value("sentAs", "application/json"));
  const auto answer = admission::ServeAdmission(request, Injector(), admission::ReviewKeeping(PodFieldsRead()));
  EXPECT_EQ(answer.body, admission::ServeAdmission(request, Injector()).body);
  ASSERT_EQ(answer.status, expected["httpStatus"]) << answer.body;
  if (expected.contains("bodyContains")) {
    EXPECT_NE(answer.body.find(expected["bodyContains"].get<std::string>()), std::string::npos) << answer.body;
  }
  if (answer.status != 200) return;

  const json response = json::parse(answer.body)["response"];
  json without_patch = response;
  without_patch.erase("patch");
  without_patch.erase("patchType");
  EXPECT_EQ(without_patch, expected["response"]);

  const json object = json::parse(body)["request"]["object"];
  const json admitted = Admitted(object, response);
  EXPECT_EQ(admitted, expected.value("patchedObject", object)) << admitted.dump(2);

  // Reinvocation: the webhook seeing its own result changes nothing more.
  json again = json::parse(body);
  again["request"]["object"] = admitted;
  const json second = json::parse(admission::ServeAdmission(Post(again.dump()), Injector()).body)["response"];
  EXPECT_FALSE(second.contains("patch")) << second.dump();
}

INSTANTIATE_TEST_SUITE_P(Fixtures, GoldenReview, ::testing::ValuesIn(FixtureNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(GoldenReview, FixturesAreThere) { EXPECT_GE(FixtureNames().size(), 10u); }

admission::AdmissionRequest KernelPodCreate(json pod) {
  admission::AdmissionRequest request;
  request.uid = "u";
  request.kind = {.group = "", .version = "v1", .kind = "Pod"};
  request.ns = "project-a";
  request.operation = "CREATE";
  request.object = std::move(pod);
  return request;
}

json Pod(json labels, json containers) {
  return {{"metadata", {{"name", "p"}, {"labels", std::move(labels)}}},
          {"spec", {{"containers", std::move(containers)}}}};
}

// The pod as ServeAdmission's parse hands it to the injector: only PodFieldsRead().
json AsParsedForTheInjector(const json& pod) {
  StatusOr<json> projected = ParseBoundedJson(pod.dump(), kDefaultMaxJsonDepth, PodFieldsRead());
  EXPECT_TRUE(projected.ok()) << projected.status().ToString();
  return projected.ok() ? *projected : json();
}

// The pod as stored after the injection's patch; null when the pod was not selected (no patch).
// Every test checks on the way that the injector decides the same on the fields it declares it
// reads as on the whole pod.
json Injected(const json& pod, const InjectionTargets& targets = kDefaultTargets) {
  auto decision = InjectKernelSecrets(KernelPodCreate(pod), targets, FixtureLookup);
  EXPECT_TRUE(decision.allowed);
  EXPECT_FALSE(decision.mutated_object) << "the injector sends its own patch";
  const auto projected = InjectKernelSecrets(KernelPodCreate(AsParsedForTheInjector(pod)), targets, FixtureLookup);
  EXPECT_EQ(projected.patch, decision.patch) << "PodFieldsRead() lacks a field the injector read";
  return decision.patch ? pod.patch(json::parse(*decision.patch)) : json();
}

TEST(InjectKernelSecrets, LeavesAContainerThatAlreadyReferencesTheSecretAsItIs) {
  const json containers = {{{"name", "kernel"},
                            {"envFrom",
                             {{{"configMapRef", {{"name", "settings"}}}},
                              {{"secretRef", {{"name", "kernel-secrets"}}}, {"prefix", "KS_"}}}}}};
  EXPECT_EQ(Injected(Pod({{"kernelsecrets.dev/inject", "true"}}, containers))["spec"]["containers"], containers);
}

// Native sidecars (Kubernetes 1.28+) are init containers with restartPolicy Always: a log shipper
// or a proxy beside the kernel, which the project's secrets are not for.
const json kInitContainersWithANativeSidecar = {{{"name", "fetch-notebook"}, {"image", "busybox"}},
                                                {{"name", "proxy"}, {"image", "envoy"}, {"restartPolicy", "Always"}}};

// The patch is built from what the injector adds, not from a diff: it must add exactly the
// reference and the annotations, and replace or remove nothing the pod had.
TEST(InjectKernelSecrets, ThePatchOnlyAddsTheReferenceAndTheAnnotations) {
  const json pod = json::parse(ReadFile(kFixtures / "kernel-pod-of-enterprise-gateway.review.json"))["request"]["object"];
  auto decision = InjectKernelSecrets(KernelPodCreate(pod), kDefaultTargets, FixtureLookup);
  ASSERT_TRUE(decision.patch);
  std::set<std::string> paths;
  for (const json& operation : json::parse(*decision.patch)) {
    EXPECT_EQ(operation["op"], "add") << operation.dump();
    paths.insert(operation["path"].get<std::string>());
  }
  EXPECT_EQ(paths, (std::set<std::string>{"/spec/containers/0/envFrom", "/metadata/annotations/kernelsecrets.dev~1revision",
                                          "/metadata/annotations/kernelsecrets.dev~1secret-names"}));
}

TEST(InjectKernelSecrets, LeavesInitContainersAndNativeSidecarsAlone) {
  json pod = Pod({{"kernelsecrets.dev/inject", "true"}}, {{{"name", "kernel"}}});
  pod["spec"]["initContainers"] = kInitContainersWithANativeSidecar;
  const json injected = Injected(pod);
  EXPECT_EQ(injected["spec"]["initContainers"], kInitContainersWithANativeSidecar);
  EXPECT_EQ(injected["spec"]["containers"][0]["envFrom"][0]["secretRef"]["name"], "kernel-secrets");
}

TEST(InjectKernelSecrets, RefreshesStaleAnnotations) {
  json pod = Pod({{"kernelsecrets.dev/inject", "true"}}, json::array());
  pod["metadata"]["annotations"] = {{"kernelsecrets.dev/revision", "old"}, {"kernelsecrets.dev/secret-names", "GONE"}};
  EXPECT_EQ(
      Injected(pod)["metadata"]["annotations"],
      json({{"kernelsecrets.dev/revision", "3f2a9c"}, {"kernelsecrets.dev/secret-names", "API_TOKEN,DB_PASSWORD"}}));
}

TEST(InjectKernelSecrets, FollowsAConfiguredSelector) {
  const InjectionTargets gateway{.kernels = Selector("component=kernel"), .notebook_servers = std::nullopt};
  const json containers = {{{"name", "kernel"}}};
  EXPECT_FALSE(Injected(Pod({{"component", "kernel"}}, containers), gateway).is_null());
  EXPECT_TRUE(Injected(Pod({{"kernelsecrets.dev/inject", "true"}}, containers), gateway).is_null());
}

TEST(InjectKernelSecrets, AllowsOtherKindsUnchanged) {
  admission::AdmissionRequest request = KernelPodCreate(Pod({{"kernelsecrets.dev/inject", "true"}}, json::array()));
  request.kind = {.group = "apps", .version = "v1", .kind = "Deployment"};
  auto decision = InjectKernelSecrets(request, kDefaultTargets, FixtureLookup);
  EXPECT_TRUE(decision.allowed);
  EXPECT_FALSE(decision.patch);
}

TEST(InjectKernelSecrets, LooksUpTheRequestsNamespace) {
  json pod = Pod({{"kernelsecrets.dev/inject", "true"}}, json::array());
  pod["metadata"].erase("name");
  pod["metadata"]["generateName"] = "kernel-";
  std::vector<std::string> asked;
  InjectKernelSecrets(KernelPodCreate(pod), kDefaultTargets, [&asked](const std::string& ns) {
    asked.push_back(ns);
    return std::nullopt;
  });
  EXPECT_EQ(asked, std::vector<std::string>{"project-a"});
}

// JupyterHub's label for notebook servers, and Jupyter Enterprise Gateway's for kernels.
const InjectionTargets kHubTargets{.kernels = Selector("component=kernel"),
                                   .notebook_servers = Selector("component=singleuser-server")};

json NotebookServer() {
  return Pod({{"component", "singleuser-server"}},
             {{{"name", "notebook"}, {"volumeMounts", {{{"name", "home"}, {"mountPath", "/home/jovyan"}}}}},
              {{"name", "sidecar"}}});
}

// Notebook servers are selected as JupyterHub labels them.
json InjectedServer(const json& pod, const InjectionTargets& targets = kHubTargets) { return Injected(pod, targets); }

TEST(InjectNotebookServer, MountsTheValuesAndTheirRevisionInEveryContainerAndAddsNoVariable) {
  const json pod = InjectedServer(NotebookServer());
  const json expected_mount = {
      {"name", "kernel-secrets"}, {"mountPath", "/var/run/kernel-secrets"}, {"readOnly", true}};
  for (const json& container : pod["spec"]["containers"]) {
    EXPECT_FALSE(container.contains("envFrom")) << container.dump();
    EXPECT_FALSE(container.contains("env")) << container.dump();
    ASSERT_TRUE(container.contains("volumeMounts")) << container.dump();
    EXPECT_EQ(container["volumeMounts"].back(), expected_mount);
  }
  EXPECT_EQ(pod["spec"]["containers"][0]["volumeMounts"][0]["name"], "home") << "the container's own mount stays";
  EXPECT_EQ(pod["spec"]["volumes"], json::parse(R"([{
    "name": "kernel-secrets",
    "projected": {"defaultMode": 292, "sources": [
      {"secret": {"name": "kernel-secrets", "optional": true}},
      {"downwardAPI": {"items": [{"path": ".meta/revision",
        "fieldRef": {"fieldPath": "metadata.annotations['kernelsecrets.dev/revision']"}}]}}]}}])"));
  EXPECT_EQ(pod["metadata"]["annotations"], json({{"kernelsecrets.dev/revision", "3f2a9c"},
                                                  {"kernelsecrets.dev/secret-names", "API_TOKEN,DB_PASSWORD"},
                                                  {"kernelsecrets.dev/delivery", "volume"}}));
}

TEST(InjectNotebookServer, LeavesInitContainersAndNativeSidecarsAlone) {
  json server = NotebookServer();
  server["spec"]["initContainers"] = kInitContainersWithANativeSidecar;
  EXPECT_EQ(InjectedServer(server)["spec"]["initContainers"], kInitContainersWithANativeSidecar);
}

TEST(InjectNotebookServer, IsIdempotentAndKeepsAVolumeOrMountPathThePodAlreadyHas) {
  const json once = InjectedServer(NotebookServer());
  EXPECT_EQ(InjectedServer(once), once);

  json own_path = NotebookServer();
  own_path["spec"]["containers"][0]["volumeMounts"].push_back(
      {{"name", "mine"}, {"mountPath", "/var/run/kernel-secrets"}});
  const json injected = InjectedServer(own_path);
  EXPECT_EQ(injected["spec"]["containers"][0]["volumeMounts"], own_path["spec"]["containers"][0]["volumeMounts"]);
}

TEST(InjectNotebookServer, WinsOverTheKernelSelectorSoTheServerNeverGetsTheValuesAsVariables) {
  json both = NotebookServer();
  both["metadata"]["labels"]["kernelsecrets.dev/inject"] = "true";
  const InjectionTargets targets{.kernels = Selector("kernelsecrets.dev/inject=true"),
                                 .notebook_servers = kHubTargets.notebook_servers};
  const json pod = InjectedServer(both, targets);
  EXPECT_FALSE(pod["spec"]["containers"][0].contains("envFrom"));
  EXPECT_TRUE(pod["spec"].contains("volumes"));
}

TEST(InjectNotebookServer, KernelPodsKeepTheirShapeAndServersAreLeftAloneWithoutASelector) {
  const json kernel = InjectedServer(Pod({{"component", "kernel"}}, {{{"name", "kernel"}}}));
  EXPECT_TRUE(kernel["spec"]["containers"][0].contains("envFrom"));
  EXPECT_FALSE(kernel["spec"].contains("volumes"));
  EXPECT_FALSE(kernel["metadata"]["annotations"].contains("kernelsecrets.dev/delivery"));

  const InjectionTargets kernels_only{.kernels = kHubTargets.kernels, .notebook_servers = std::nullopt};
  EXPECT_TRUE(InjectedServer(NotebookServer(), kernels_only).is_null()) << "not selected: no mutation";
}

TEST(InjectNotebookServer, KubeflowNotebooksAreSelectedByTheLabelExisting) {
  const InjectionTargets kubeflow{.kernels = kDefaultTargets.kernels, .notebook_servers = Selector("notebook-name")};
  const json pod =
      InjectedServer(Pod({{"notebook-name", "analysis"}, {"statefulset", "analysis"}}, {{{"name", "analysis"}}}), kubeflow);
  EXPECT_TRUE(pod["spec"].contains("volumes"));
}

}  // namespace
}  // namespace ks::injector
