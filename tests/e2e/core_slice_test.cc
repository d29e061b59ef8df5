// The core slice, end to end: a secret applied with kubectl reaches a kernel pod's environment,
// follows edits and deletion, and is stored only encrypted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ctime>
#include <optional>

#include "support/local_cluster.h"
#include "tests/e2e/metrics_scrape.h"
#include "tests/e2e/project.h"

namespace ks::e2e {
namespace {

using ::testing::HasSubstr;

class CoreSlice : public ProjectsTest {
 protected:
  // Waits until the project's native Secret holds exactly `expected` (names and values).
  bool NativeSecretBecomes(const std::string& ns, const std::map<std::string, std::string>& expected) {
    return testing::Eventually([&] { return NativeSecretData(ns) == expected; });
  }

  json StoredSecret(const std::string& ns, const std::string& name) { return admin_.Get({"ksecret", name, "-n", ns}); }
};

TEST_F(CoreSlice, AppliedSecretReachesTheKernelEnvironment) {
  const std::string value = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "api-token", "API-TOKEN", value)).ok());
  ASSERT_TRUE(NativeSecretBecomes(project_a_, {{"API-TOKEN", value}}));

  json pod = CreateKernelPod(project_a_);
  const json& container = pod["spec"]["containers"][0];
  EXPECT_EQ(container["envFrom"][0], json({{"secretRef", {{"name", "kernel-secrets"}, {"optional", true}}}}));
  EXPECT_EQ(container["env"], json::array({{{"name", "OWN"}, {"value", "own"}}})) << "the container's env is untouched";
  std::map<std::string, std::string> env = KernelEnvironment(pod);
  EXPECT_TRUE(Holds(env, "API-TOKEN", value));
  EXPECT_TRUE(Holds(env, "OWN", "own"));

  json native = admin_.Get({"secret", "kernel-secrets", "-n", project_a_});
  EXPECT_EQ(pod["metadata"]["annotations"]["kernelsecrets.dev/revision"],
            native["metadata"]["annotations"]["kernelsecrets.dev/revision"]);
  EXPECT_EQ(pod["metadata"]["annotations"]["kernelsecrets.dev/secret-names"], "API-TOKEN");
  EXPECT_EQ(pod.dump().find(value), std::string::npos) << "the pod spec holds no value";
  ExpectNoPlaintextAnywhere();
}

TEST_F(CoreSlice, StoredObjectHoldsOnlyCiphertextAndStatus) {
  const std::string value = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "db", "DB-PASSWORD", value)).ok());
  ASSERT_TRUE(testing::Eventually([&] {
    json s = StoredSecret(project_a_, "db");
    return s.contains("status") && s["status"].value("observedGeneration", 0) == 1;
  }));
  json stored = StoredSecret(project_a_, "db");
  EXPECT_FALSE(stored["spec"].contains("value"));
  EXPECT_TRUE(stored["spec"]["encrypted"].contains("ciphertext"));
  EXPECT_EQ(stored.dump().find(value), std::string::npos);
  EXPECT_EQ(stored["metadata"]["annotations"]["kernelsecrets.dev/created-by"], "kernel-secrets-admin");
  EXPECT_EQ(stored["status"]["visibleIn"], 1);
  for (const json& c : stored["status"]["conditions"]) {
    EXPECT_EQ(c["status"], c["type"] == "Ready" ? "True" : "False") << c["type"];
  }
}

TEST_F(CoreSlice, ReapplyingAnUnchangedManifestChangesNothing) {
  const json manifest = SecretManifest(project_a_, "api-token", "API-TOKEN", NewSecretValue());
  ASSERT_TRUE(admin_.Apply(manifest).ok());
  ASSERT_TRUE(testing::Eventually([&] { return StoredSecret(project_a_, "api-token").contains("status"); }));
  const json before = StoredSecret(project_a_, "api-token");
  CommandResult again = admin_.Apply(manifest);
  ASSERT_TRUE(again.ok()) << again.err;
  const json after = StoredSecret(project_a_, "api-token");
  EXPECT_EQ(after["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"]);
  EXPECT_EQ(after["spec"]["encrypted"], before["spec"]["encrypted"]);
}

TEST_F(CoreSlice, AServerDryRunNeverTellsWhetherAGuessEqualsTheStoredValue) {
  const std::string value = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "guessed", "GUESSED", value)).ok());
  ASSERT_TRUE(testing::Eventually([&] { return StoredSecret(project_a_, "guessed").contains("status"); }));
  const json stored = StoredSecret(project_a_, "guessed");
  // The right guess and a wrong one get the same kind of answer: content sealed afresh.
  for (const std::string& guess : {value, NewSecretValue()}) {
    CommandResult r = admin_.Run({"apply", "--dry-run=server", "-o", "json", "-f", "-"},
                                 SecretManifest(project_a_, "guessed", "GUESSED", guess).dump());
    ASSERT_TRUE(r.ok()) << r.err;
    EXPECT_NE(json::parse(r.out)["spec"]["encrypted"]["ciphertext"], stored["spec"]["encrypted"]["ciphertext"]);
  }
  EXPECT_EQ(StoredSecret(project_a_, "guessed")["metadata"]["resourceVersion"], stored["metadata"]["resourceVersion"])
      << "a dry run stores nothing";
}

TEST_F(CoreSlice, ServerSideApplyStoresOnlyCiphertextAndKeepsItOnReapply) {
  const std::string value = NewSecretValue();
  const std::string manifest = SecretManifest(project_a_, "ssa", "SSA-TOKEN", value).dump();
  CommandResult applied = admin_.Run({"apply", "--server-side", "-f", "-"}, manifest);
  ASSERT_TRUE(applied.ok()) << applied.err;
  ASSERT_TRUE(NativeSecretBecomes(project_a_, {{"SSA-TOKEN", value}}));
  const json stored = admin_.Get({"ksecret", "ssa", "-n", project_a_, "--show-managed-fields"});
  EXPECT_FALSE(stored["spec"].contains("value"));
  EXPECT_EQ(stored.dump().find(value), std::string::npos) << "managedFields hold field names, never values";

  ASSERT_TRUE(admin_.Run({"apply", "--server-side", "-f", "-"}, manifest).ok());
  EXPECT_EQ(StoredSecret(project_a_, "ssa")["spec"]["encrypted"], stored["spec"]["encrypted"]);
  ExpectNoPlaintextAnywhere();
}

TEST_F(CoreSlice, MovingFromClientSideToServerSideApplyTakesOverTheValueOnce) {
  const json manifest = SecretManifest(project_a_, "moved", "MOVED-TOKEN", NewSecretValue());
  ASSERT_TRUE(admin_.Apply(manifest).ok());
  const json before = StoredSecret(project_a_, "moved");
  CommandResult conflict = admin_.Run({"apply", "--server-side", "-f", "-"}, manifest.dump());
  EXPECT_FALSE(conflict.ok());
  EXPECT_THAT(conflict.err, HasSubstr(".spec.value"));
  CommandResult forced = admin_.Run({"apply", "--server-side", "--force-conflicts", "-f", "-"}, manifest.dump());
  ASSERT_TRUE(forced.ok()) << forced.err;
  EXPECT_EQ(StoredSecret(project_a_, "moved")["spec"]["encrypted"], before["spec"]["encrypted"]);
  ASSERT_TRUE(admin_.Run({"apply", "--server-side", "-f", "-"}, manifest.dump()).ok()) << "the field is taken over";
}

TEST_F(CoreSlice, EditedValueAndNameReachTheNextKernel) {
  const std::string first = NewSecretValue();
  const std::string second = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "api-token", "API-TOKEN", first)).ok());
  ASSERT_TRUE(NativeSecretBecomes(project_a_, {{"API-TOKEN", first}}));
  json old_kernel = CreateKernelPod(project_a_);

  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "api-token", "RENAMED-TOKEN", second)).ok());
  ASSERT_TRUE(NativeSecretBecomes(project_a_, {{"RENAMED-TOKEN", second}}));
  json restarted = CreateKernelPod(project_a_);
  std::map<std::string, std::string> env = KernelEnvironment(restarted);
  EXPECT_TRUE(Holds(env, "RENAMED-TOKEN", second));
  EXPECT_FALSE(env.contains("API-TOKEN"));
  EXPECT_NE(restarted["metadata"]["annotations"]["kernelsecrets.dev/revision"],
            old_kernel["metadata"]["annotations"]["kernelsecrets.dev/revision"])
      << "the old kernel's revision tells it needs a restart";
  ExpectNoPlaintextAnywhere();
}

TEST_F(CoreSlice, DeletedSecretIsDestroyedAndGoneFromTheNextKernel) {
  const std::string kept = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "keep", "KEEP", kept)).ok());
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "doomed", "DOOMED", NewSecretValue())).ok());
  ASSERT_TRUE(testing::Eventually([&] { return NativeSecretData(project_a_).size() == 2; }));

  CommandResult deleted = admin_.Run({"delete", "ksecret", "doomed", "-n", project_a_});
  ASSERT_TRUE(deleted.ok()) << deleted.err;
  EXPECT_TRUE(testing::Eventually([&] { return StoredSecret(project_a_, "doomed").is_null(); }));
  EXPECT_TRUE(NativeSecretBecomes(project_a_, {{"KEEP", kept}}));
  EXPECT_TRUE(testing::Eventually([&] {
    return admin_.Run({"get", "events", "-n", project_a_, "--field-selector", "involvedObject.name=doomed"})
               .out.find("Secret destroyed") != std::string::npos;
  }));
  std::map<std::string, std::string> env = KernelEnvironment(CreateKernelPod(project_a_));
  EXPECT_FALSE(env.contains("DOOMED"));
  EXPECT_TRUE(Holds(env, "KEEP", kept));
}

TEST_F(CoreSlice, AKernelStartsInAProjectWithoutSecrets) {
  ASSERT_TRUE(NativeSecretData(project_a_).empty());
  std::map<std::string, std::string> env = KernelEnvironment(CreateKernelPod(project_a_));
  EXPECT_TRUE(Holds(env, "OWN", "own")) << "optional: true lets the kubelet start it without the native Secret";
}

// The kubelet's order, for real: envFrom sources in order, a later one winning, then env over all.
TEST_F(CoreSlice, TheKernelsOwnEnvFromAndEnvOverrideTheProjectsSecrets) {
  const std::string project_value = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "editor", "EDITOR", project_value)).ok());
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "token", "API-TOKEN", NewSecretValue())).ok());
  const std::string db = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "db", "DB-PASSWORD", db)).ok());
  ASSERT_TRUE(testing::Eventually([&] { return NativeSecretData(project_a_).size() == 3; }));
  ASSERT_TRUE(
      admin_.Run({"create", "configmap", "kernel-settings", "-n", project_a_, "--from-literal=EDITOR=vim"}).ok());

  KernelPodOptions options;
  options.env_from = json::array({{{"configMapRef", {{"name", "kernel-settings"}}}}});
  options.env = json::array({{{"name", "API-TOKEN"}, {"value", "set-by-env"}}});
  json pod = CreateKernelPod(project_a_, options);
  EXPECT_EQ(pod["spec"]["containers"][0]["envFrom"][0]["secretRef"]["name"], "kernel-secrets")
      << "the project's secrets come first, so that the kernel's own sources win";
  std::map<std::string, std::string> env = KernelEnvironment(pod);
  EXPECT_TRUE(Holds(env, "DB-PASSWORD", db));
  EXPECT_TRUE(Holds(env, "EDITOR", "vim"));
  EXPECT_TRUE(Holds(env, "API-TOKEN", "set-by-env"));
}

struct BadSecret {
  std::string case_name;
  std::string spec_name;
  std::string expected_message;
  // Shown by gtest and ctest for the case: its name, not the bytes of the struct.
  friend void PrintTo(const BadSecret& c, std::ostream* os) { *os << c.case_name; }
};

class RefusedSecret : public CoreSlice, public ::testing::WithParamInterface<BadSecret> {};

TEST_P(RefusedSecret, IsRefusedWithTheRuleAndNothingIsStored) {
  const std::string value = NewSecretValue();
  CommandResult r = admin_.Apply(SecretManifest(project_a_, "bad", GetParam().spec_name, value));
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.err, HasSubstr(GetParam().expected_message));
  EXPECT_EQ(r.err.find(value), std::string::npos);
  EXPECT_TRUE(StoredSecret(project_a_, "bad").is_null());
}

INSTANTIATE_TEST_SUITE_P(Names, RefusedSecret,
                         ::testing::Values(BadSecret{"TooShort", "ab", "shorter than 3 characters"},
                                           BadSecret{"StartsWithDigit", "1TOKEN", "does not start with a letter"},
                                           BadSecret{"EndsWithHyphen", "TOKEN-", "ends with a hyphen or underscore"},
                                           BadSecret{"Underscore", "MY_TOKEN",
                                                     "other than a Latin letter, digit or hyphen"}),
                         [](const auto& info) { return info.param.case_name; });

TEST_F(CoreSlice, SecondSecretWithTheSameNameInAProjectIsRefused) {
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "first", "TOKEN", NewSecretValue())).ok());
  ASSERT_TRUE(testing::Eventually([&] { return StoredSecret(project_a_, "first").contains("status"); }));
  CommandResult r = admin_.Apply(SecretManifest(project_a_, "second", "TOKEN", NewSecretValue()));
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.err, HasSubstr("already exists in project"));
}

TEST_F(CoreSlice, GenerateNameIsRefused) {
  json manifest = SecretManifest(project_a_, "", "TOKEN", NewSecretValue());
  manifest["metadata"].erase("name");
  manifest["metadata"]["generateName"] = "token-";
  CommandResult r = admin_.Create(manifest);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.err, HasSubstr("generateName is not supported"));
}

TEST_F(CoreSlice, HandWrittenCiphertextIsRefused) {
  json manifest = SecretManifest(project_a_, "forged", "TOKEN", "");
  manifest["spec"]["encrypted"] = {
      {"keyId", "local-1"}, {"wrappedKey", "AAAA"}, {"nonce", "AAAA"}, {"ciphertext", "AAAA"}};
  CommandResult r = admin_.Apply(manifest);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.err, HasSubstr("spec.encrypted is written by kernel-secrets only"));
}

TEST_F(CoreSlice, CreatorCannotBeRewritten) {
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "token", "TOKEN", NewSecretValue())).ok());
  CommandResult r = admin_.Run(
      {"annotate", "--overwrite", "ksecret", "token", "-n", project_a_, "kernelsecrets.dev/created-by=someone-else"});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.err, HasSubstr("cannot be changed"));
}

TEST_F(CoreSlice, ASecretNamedKernelSecretsThatIsNotOursIsNeverOverwritten) {
  // The Secret is there before the namespace becomes a project, as on a cluster adopting kernel-secrets.
  const std::string ns = testing::UniqueName("adopted");
  namespaces_.push_back(ns);
  ASSERT_TRUE(admin_.Run({"create", "namespace", ns}).ok());
  const std::string foreign = NewSecretValue();
  ASSERT_TRUE(
      admin_.Run({"create", "secret", "generic", "kernel-secrets", "-n", ns, "--from-literal=FOREIGN=" + foreign})
          .ok());
  ASSERT_TRUE(admin_.Run({"label", "namespace", ns, "kernelsecrets.dev/project=true"}).ok());
  ASSERT_TRUE(admin_.Apply(SecretManifest(ns, "token", "TOKEN", NewSecretValue())).ok());
  EXPECT_TRUE(testing::Eventually([&] {
    return admin_
               .Run({"get", "events", "-n", ns, "--field-selector",
                     "involvedObject.kind=Secret,involvedObject.name=kernel-secrets,reason=NativeSecretTaken"})
               .out.find("not managed by kernel-secrets") != std::string::npos;
  }));
  std::map<std::string, std::string> data = NativeSecretData(ns);
  EXPECT_TRUE(Holds(data, "FOREIGN", foreign));
  EXPECT_FALSE(data.contains("TOKEN")) << "the operator wrote into a Secret it does not own";
}

TEST_F(CoreSlice, OperatorCountsItsReconcilesInItsMetrics) {
  const std::string value = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "counted", "COUNTED", value)).ok());
  ASSERT_TRUE(NativeSecretBecomes(project_a_, {{"COUNTED", value}}));
  std::string metrics;
  EXPECT_TRUE(testing::Eventually([&] {
    metrics = ScrapeMetrics(Component::kOperator);
    return SeriesValue(metrics, R"(kernel_secrets_reconciles_total{kind="secret",result="ok"})") >= 1 &&
           SeriesValue(metrics, R"(kernel_secrets_reconcile_duration_seconds_count{kind="project"})") >= 1;
  }));
  EXPECT_EQ(metrics.find(value), std::string::npos);
}

// What docs/operations.md#alerts alerts on is there, with values that say the truth.
TEST_F(CoreSlice, BothComponentsExposeWhatAPlatformTeamAlertsOn) {
  const std::string value = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "watched", "WATCHED", value)).ok());
  ASSERT_TRUE(NativeSecretBecomes(project_a_, {{"WATCHED", value}}));
  const std::string key_id = StoredSecret(project_a_, "watched")["spec"]["encrypted"].value("keyId", "");
  ASSERT_FALSE(key_id.empty());
  const double now = static_cast<double>(std::time(nullptr));

  const std::string operator_metrics = ScrapeMetrics(Component::kOperator);
  for (const char* resource : {"namespaces", "secrets", "secrets.kernelsecrets.dev", "secretshares.kernelsecrets.dev"}) {
    const std::string labels = std::string("{resource=\"") + resource + "\"}";
    EXPECT_EQ(SeriesValue(operator_metrics, "kernel_secrets_informer_synced" + labels), 1) << resource;
    EXPECT_GE(SeriesValue(operator_metrics, "kernel_secrets_relists_total" + labels), 1) << resource;
    EXPECT_TRUE(SeriesValue(operator_metrics, "kernel_secrets_watch_restarts_total" + labels)) << resource;
  }
  // Every replica counts over its own cache, which may see the secret a moment after the leader.
  const std::string by_key = "kernel_secrets_secrets_by_key{key_id=\"" + key_id + "\"}";
  EXPECT_TRUE(testing::Eventually([&] { return SeriesValue(ScrapeMetrics(Component::kOperator), by_key) >= 1; }));
  EXPECT_TRUE(SeriesValue(operator_metrics, "kernel_secrets_secrets_decrypt_failed"));
  // With two replicas behind one port (the chart round), this one may be the standby, and the
  // other one may have answered this test's admissions: only the series are certain here (the
  // unit tests count them).
  const std::optional<double> leader = SeriesValue(operator_metrics, "kernel_secrets_leader");
  EXPECT_TRUE(leader == 0 || leader == 1) << operator_metrics;
  for (const char* queue_series : {"kernel_secrets_workqueue_depth", "kernel_secrets_workqueue_oldest_item_age_seconds",
                                   "kernel_secrets_workqueue_retries_total"}) {
    EXPECT_GE(SeriesValue(operator_metrics, queue_series), 0) << queue_series;
  }
  EXPECT_TRUE(
      SeriesValue(operator_metrics, R"(kernel_secrets_admission_duration_seconds_count{webhook="mutate/secrets"})"));

  const std::string injector_metrics = ScrapeMetrics(Component::kInjector);
  EXPECT_EQ(SeriesValue(injector_metrics, R"(kernel_secrets_informer_synced{resource="secrets"})"), 1);
  EXPECT_TRUE(
      SeriesValue(injector_metrics, R"(kernel_secrets_admission_duration_seconds_count{webhook="mutate-pods"})"));
  for (const std::string& metrics : {operator_metrics, injector_metrics}) {
    EXPECT_GT(SeriesValue(metrics, "kernel_secrets_serving_certificate_expiry_timestamp_seconds"), now)
        << "the serving certificate expires in the future";
    EXPECT_EQ(metrics.find(value), std::string::npos);
  }
}

TEST_F(CoreSlice, ANamespaceThatStopsBeingAProjectLosesItsNativeSecret) {
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "token", "TOKEN", NewSecretValue())).ok());
  ASSERT_TRUE(testing::Eventually([&] { return !NativeSecretData(project_a_).empty(); }));
  ASSERT_TRUE(admin_.Run({"label", "namespace", project_a_, "kernelsecrets.dev/project-"}).ok());
  EXPECT_TRUE(testing::Eventually([&] {
    return admin_.Get({"secret", "kernel-secrets", "-n", project_a_}).is_null();
  }));
}

}  // namespace
}  // namespace ks::e2e
