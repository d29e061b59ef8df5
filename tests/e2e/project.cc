#include "tests/e2e/project.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>

#include "core/common/encoding.h"
#include "support/local_cluster.h"

namespace ks::e2e {
namespace {

std::vector<std::string>& UsedValues() {
  static std::vector<std::string> values;
  return values;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Which of the used values occur in `haystack`, by index: the report never shows a value.
std::vector<std::size_t> ValuesFoundIn(const std::string& haystack) {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < UsedValues().size(); ++i) {
    if (haystack.find(UsedValues()[i]) != std::string::npos) found.push_back(i);
  }
  return found;
}

// The log of `component` so far: its log file in the state dir, or, for the operator and the
// injector of a chart install (scripts/local-up --chart), their pods' logs.
std::string ComponentLog(const std::string& component) {
  const char* install = std::getenv("KERNEL_SECRETS_INSTALL");
  const char* release_namespace = std::getenv("KERNEL_SECRETS_RELEASE_NAMESPACE");
  if (install != nullptr && std::string(install) == "chart" && (component == "operator" || component == "injector")) {
    CommandResult logs = Kubectl().Run({"logs", "-n", release_namespace ? release_namespace : "kernel-secrets", "-l",
                                        "app.kubernetes.io/component=" + component, "--tail=-1", "--prefix"});
    EXPECT_TRUE(logs.ok()) << "kubectl logs of the " << component << " pods failed: " << logs.err;
    return logs.out;
  }
  return ReadFile(testing::StateDir() + "/logs/" + component + ".log");
}

}  // namespace

std::string NewSecretValue() {
  static std::mt19937_64 random{std::random_device{}()};
  std::ostringstream value;
  value << "ksv-" << std::hex << random() << random();
  UsedValues().push_back(value.str());
  return value.str();
}

std::string CreateProject(const std::optional<std::string>& community) {
  const std::string ns = testing::UniqueName("proj");
  json labels = {{"kernelsecrets.dev/project", "true"}};
  if (community) labels["kernelsecrets.dev/community"] = *community;
  CommandResult r =
      Kubectl().Create({{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}, {"labels", labels}}}});
  EXPECT_TRUE(r.ok()) << r.err;
  return ns;
}

void DeleteNamespaces(const std::vector<std::string>& namespaces) {
  for (const std::string& ns : namespaces) Kubectl().Run({"delete", "namespace", ns, "--wait=false"});
}

json SecretManifest(const std::string& ns, const std::string& name, const std::string& spec_name,
                    const std::string& value) {
  json manifest = {{"apiVersion", "kernelsecrets.dev/v1alpha1"},
                   {"kind", "Secret"},
                   {"metadata", {{"name", name}, {"namespace", ns}}},
                   {"spec", {{"name", spec_name}}}};
  if (!value.empty()) manifest["spec"]["value"] = value;
  return manifest;
}

json ShareManifest(const std::string& ns, const std::string& name, const std::string& secret_name,
                   const std::string& community) {
  return {{"apiVersion", "kernelsecrets.dev/v1alpha1"},
          {"kind", "SecretShare"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"spec", {{"secretName", secret_name}, {"community", community}}}};
}

std::string NodeImage(const std::string& variable) {
  const char* image = std::getenv(variable.c_str());
  if (image == nullptr || *image == '\0') {
    ADD_FAILURE() << variable
                  << " is not set: source the env file of scripts/local-up, "
                     "started with a node (without --no-node)";
    return "missing-image";
  }
  return image;
}

std::string PodState(const std::string& ns, const std::string& name) {
  return Kubectl()
      .Run({"get", "pod", name, "-n", ns, "-o",
            "jsonpath={.status.phase} {.status.containerStatuses[*].state.waiting.reason}"
            "{.status.containerStatuses[*].state.terminated.reason}"})
      .out;
}

json RestrictedSecurityContext() {
  return {{"runAsNonRoot", true},
          {"allowPrivilegeEscalation", false},
          {"capabilities", {{"drop", {"ALL"}}}},
          {"seccompProfile", {{"type", "RuntimeDefault"}}}};
}

namespace {

// `kubectl create` of the pod `manifest` with `options`, retried while it fails: a new namespace
// has no default ServiceAccount until the controller manager makes one.
json CreatePodWith(const json& manifest, const std::vector<std::string>& options) {
  std::vector<std::string> args = {"create", "-f", "-", "-o", "json"};
  args.insert(args.end(), options.begin(), options.end());
  json created;
  CommandResult r;
  testing::Eventually([&] {
    r = Kubectl().Run(args, manifest.dump());
    if (r.ok()) created = json::parse(r.out);
    return r.ok();
  });
  EXPECT_FALSE(created.is_null()) << "could not create a pod in " << manifest["metadata"].value("namespace", "")
                                  << ": " << r.err;
  return created;
}

}  // namespace

json CreatePod(const json& manifest) { return CreatePodWith(manifest, {}); }

// --validate=false: the local kubectl (1.20) would refuse fields newer API servers know.
json AdmitPod(const json& manifest) { return CreatePodWith(manifest, {"--dry-run=server", "--validate=false"}); }

int ServerMinorVersion() {
  // From the env file of scripts/local-up, which knows it even of Debian's build, whose API server
  // reports no version (v0.0.0-master).
  static const int minor = [] {
    const char* minor = std::getenv("KERNEL_SECRETS_KUBE_MINOR");
    const int known = minor == nullptr ? 0 : std::atoi(minor);
    EXPECT_GT(known, 0) << "KERNEL_SECRETS_KUBE_MINOR is not set: source the env file of scripts/local-up";
    return known;
  }();
  return minor;
}

json KernelPodManifest(const std::string& ns, const KernelPodOptions& options) {
  json container = {{"name", "kernel"},
                    {"image", NodeImage("KERNEL_SECRETS_KERNEL_IMAGE")},
                    // Images are imported into the node, never pulled.
                    {"imagePullPolicy", "Never"},
                    // Kernel pods here pass Pod Security's restricted profile, as a platform's should.
                    {"securityContext", RestrictedSecurityContext()},
                    {"env", options.env}};
  if (!options.env_from.empty()) container["envFrom"] = options.env_from;
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata",
           {{"generateName", "kernel-"}, {"namespace", ns}, {"labels", {{"kernelsecrets.dev/inject", "true"}}}}},
          {"spec",
           {{"automountServiceAccountToken", false},
            {"terminationGracePeriodSeconds", 0},
            {"restartPolicy", "Never"},
            {"containers", json::array({container})}}}};
}

json CreateKernelPod(const std::string& ns, const KernelPodOptions& options) {
  return CreatePod(KernelPodManifest(ns, options));
}

std::map<std::string, std::string> KernelEnvironment(const json& pod) {
  const std::string ns = pod["metadata"]["namespace"];
  const std::string name = pod["metadata"]["name"];
  CommandResult asked;
  const bool answered = testing::Eventually(
      [&] {
        asked = Kubectl().Run({"exec", name, "-n", ns, "-c", "kernel", "--", "kernel-env"});
        return asked.ok();
      },
      std::chrono::seconds(120));
  std::map<std::string, std::string> environment;
  // kernel-env never prints a value on stderr; its stdout (the environment) is never shown.
  EXPECT_TRUE(answered) << "the kernel in " << ns << "/" << name << " did not answer (pod: " << PodState(ns, name)
                        << "): " << asked.err;
  if (answered) environment = json::parse(asked.out).get<std::map<std::string, std::string>>();
  return environment;
}

std::map<std::string, std::string> NativeSecretData(const std::string& ns) {
  json secret = Kubectl().Get({"secret", "kernel-secrets", "-n", ns});
  std::map<std::string, std::string> data;
  if (secret.is_null()) return data;
  const json encoded = secret.value("data", json::object());
  for (const auto& [key, value] : encoded.items()) {
    data[key] = Base64Decode(value.get<std::string>()).value();
  }
  return data;
}

::testing::AssertionResult Holds(const std::map<std::string, std::string>& env, const std::string& name,
                                 const std::string& value) {
  auto it = env.find(name);
  if (it == env.end()) return ::testing::AssertionFailure() << name << " is not in the environment";
  if (it->second != value) return ::testing::AssertionFailure() << name << " holds another value than expected";
  return ::testing::AssertionSuccess();
}

void ExpectNoPlaintextAnywhere() {
  ASSERT_FALSE(UsedValues().empty());
  CommandResult etcd = RunCommand({"etcdctl", "get", "--prefix", "/registry/"});
  ASSERT_TRUE(etcd.ok()) << "etcdctl failed: " << etcd.err;
  ASSERT_NE(etcd.out.find("kernelsecrets.dev"), std::string::npos) << "the etcd dump holds no kernel-secrets objects";
  EXPECT_TRUE(ValuesFoundIn(etcd.out).empty())
      << ValuesFoundIn(etcd.out).size() << " secret values stored in etcd in plaintext";

  CommandResult events = Kubectl().Run({"get", "events", "-A", "-o", "json"});
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(ValuesFoundIn(events.out).empty()) << "a secret value appears in an Event";

  // The node's components handle the values too: the kubelet resolves envFrom, containerd starts the
  // process with them.
  for (const char* component : {"operator", "injector", "kube-apiserver", "kubelet", "containerd"}) {
    const std::string log = ComponentLog(component);
    EXPECT_FALSE(log.empty()) << component << " log is missing";
    EXPECT_TRUE(ValuesFoundIn(log).empty()) << "a secret value appears in the " << component << " log";
  }
}

void ProjectsTest::SetUp() {
  community_ = testing::UniqueName("community");
  project_a_ = CreateProject(community_);
  project_b_ = CreateProject(community_);
  namespaces_ = {project_a_, project_b_};
}

void ProjectsTest::TearDown() { DeleteNamespaces(namespaces_); }

void SharingTest::SetUp() {
  ProjectsTest::SetUp();
  alice_ = testing::UniqueName("alice");
  carol_ = testing::UniqueName("carol");
  Bind(alice_, "edit", project_a_);
  Bind(carol_, "edit", project_a_);
  MakeCommunityAdmin(carol_, community_);
}

std::string SharingTest::CreateSharedSecret(const std::string& name, const std::string& spec_name) {
  const std::string value = NewSecretValue();
  CommandResult created = As(alice_).Apply(SecretManifest(project_a_, name, spec_name, value));
  EXPECT_TRUE(created.ok()) << created.err;
  CommandResult shared = As(carol_).Apply(ShareManifest(project_a_, name + "-share", name, community_));
  EXPECT_TRUE(shared.ok()) << shared.err;
  return value;
}

bool SharingTest::EventuallyNativeHas(const std::string& ns, const std::string& name,
                                      const std::optional<std::string>& value) {
  return testing::Eventually([&] {
    std::map<std::string, std::string> data = NativeSecretData(ns);
    auto it = data.find(name);
    return value ? it != data.end() && it->second == *value : it == data.end();
  });
}

void Bind(const std::string& user, const std::string& role, const std::string& ns) {
  CommandResult r = Kubectl().Run(
      {"create", "rolebinding", testing::UniqueName(role), "--clusterrole=" + role, "--user=" + user, "-n", ns});
  ASSERT_TRUE(r.ok()) << r.err;
}

void MakeCommunityAdmin(const std::string& user, const std::string& community) {
  const std::string name = testing::UniqueName("community-admin");
  json role = {{"apiVersion", "rbac.authorization.k8s.io/v1"},
               {"kind", "ClusterRole"},
               {"metadata", {{"name", name}}},
               {"rules",
                {{{"apiGroups", {"kernelsecrets.dev"}},
                  {"resources", {"communities"}},
                  {"resourceNames", {community}},
                  {"verbs", {"share"}}}}}};
  ASSERT_TRUE(Kubectl().Apply(role).ok());
  CommandResult r = Kubectl().Run({"create", "clusterrolebinding", name, "--clusterrole=" + name, "--user=" + user});
  ASSERT_TRUE(r.ok()) << r.err;
}

}  // namespace ks::e2e
