// The reconciler against in-memory collaborators: what it writes, what it leaves alone, and which
// Events it records. The values used here are test values; assertions compare them without
// printing them.
#include <gtest/gtest.h>

#include "core/api/constants.h"
#include "core/common/encoding.h"
#include "operator/cache_transforms.h"
#include "operator/reconciler.h"
#include "operator/secret_content.h"
#include "tests/unit/crypto_test_util.h"
#include "tests/unit/fake_cluster_objects.h"

namespace ks::op {
namespace {

using testing::FakeClusterObjects;
using testing::RecordingEvents;
using testing::RecordingWriter;
using testing::WriterCall;
using nlohmann::json;

constexpr char kValue[] = "test-value-of-api-token";

class ReconcilerTest : public ::testing::Test {
 protected:
  ReconcilerTest()
      : keyring_(std::make_shared<const crypto::Keyring>(
            crypto::testing::MakeKeyring("k1", {{"k1", crypto::testing::KeyBytes('1')}}))),
        reconciler_(writer_, cluster_, [this] { return keyring_; }, events_,
                    [] { return std::string("2026-12-01T00:00:00Z"); }) {}

  // A stored Secret custom resource of `ns` named `name`, holding `value` for variable `spec_name`.
  json SecretObject(const std::string& ns, const std::string& name, const std::string& spec_name,
                    const std::string& value, bool with_finalizer = true) {
    json object = {{"apiVersion", "kernelsecrets.dev/v1alpha1"},
                   {"kind", "Secret"},
                   {"metadata",
                    {{"namespace", ns},
                     {"name", name},
                     {"uid", "uid-" + name},
                     {"resourceVersion", "7"},
                     {"generation", 1},
                     {"creationTimestamp", "2026-11-30T00:00:00Z"}}},
                   {"spec", {{"name", spec_name}}}};
    if (with_finalizer) object["metadata"]["finalizers"] = {std::string(api::kFinalizer)};
    StatusOr<crypto::SealedValue> sealed = SealContent(*keyring_, value, {ns, name});
    EXPECT_TRUE(sealed.ok()) << sealed.status().ToString();
    StoreSealed(object, *sealed);
    return object;
  }

  std::shared_ptr<const crypto::Keyring> keyring_;
  FakeClusterObjects cluster_;
  RecordingWriter writer_;
  RecordingEvents events_;
  Reconciler reconciler_;
};

TEST_F(ReconcilerTest, AProjectsNativeSecretIsCreatedWithTheValuesOfItsSecrets) {
  cluster_.AddProject("alpha");
  cluster_.PutSecret(SecretObject("alpha", "api-token", "API_TOKEN", kValue));

  ReconcileResult result = reconciler_.ReconcileProject("alpha");

  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  const std::vector<WriterCall> writes = writer_.Writes();
  ASSERT_EQ(writes.size(), 1u);
  const WriterCall& write = writes[0];
  EXPECT_EQ(write.verb, "create");
  EXPECT_EQ(write.resource, "secrets");
  EXPECT_EQ(write.name, std::string(api::kNativeSecretName));
  EXPECT_TRUE(write.body.value("/data/API_TOKEN"_json_pointer, "") == Base64Encode(kValue));
}

TEST_F(ReconcilerTest, ANativeSecretThatIsUpToDateIsNotWrittenAgain) {
  cluster_.AddProject("alpha");
  cluster_.PutSecret(SecretObject("alpha", "api-token", "API_TOKEN", kValue));
  ASSERT_TRUE(reconciler_.ReconcileProject("alpha").status.ok());
  json stored = writer_.Writes().at(0).body;
  stored["metadata"]["resourceVersion"] = "12";
  cluster_.PutNativeSecret(std::move(stored));

  ReconcileResult again = reconciler_.ReconcileProject("alpha");

  ASSERT_TRUE(again.status.ok()) << again.status.ToString();
  EXPECT_EQ(writer_.Writes().size(), 1u) << "the second reconcile wrote " << writer_.Writes().back().verb;
}

TEST_F(ReconcilerTest, ASecretNameTakenByAForeignSecretIsReportedOnThatSecretAndNotOverwritten) {
  cluster_.AddProject("alpha");
  cluster_.PutSecret(SecretObject("alpha", "api-token", "API_TOKEN", kValue));
  writer_.AnswerNext(AlreadyExists("secrets \"kernel-secrets\" already exists"));
  writer_.AnswerNext(json{{"metadata", {{"name", "kernel-secrets"}, {"namespace", "alpha"}}}});

  ReconcileResult result = reconciler_.ReconcileProject("alpha");

  EXPECT_EQ(result.status.code(), StatusCode::kFailedPrecondition);
  ASSERT_EQ(writer_.calls().size(), 2u);
  EXPECT_EQ(writer_.calls()[1].verb, "get");
  ASSERT_EQ(events_.events.size(), 1u);
  EXPECT_EQ(events_.events[0].reason, "NativeSecretTaken");
  EXPECT_EQ(events_.events[0].object_name, "kernel-secrets");
}

TEST_F(ReconcilerTest, ASecretWithoutTheFinalizerGetsItBeforeAnythingElse) {
  cluster_.AddProject("alpha");
  cluster_.PutSecret(SecretObject("alpha", "api-token", "API_TOKEN", kValue, /*with_finalizer=*/false));

  ReconcileResult result = reconciler_.ReconcileSecret({"alpha", "api-token"});

  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  const std::vector<WriterCall> writes = writer_.Writes();
  ASSERT_FALSE(writes.empty());
  const WriterCall& first = writes[0];
  EXPECT_EQ(first.verb, "patch");
  EXPECT_EQ(first.body["metadata"]["finalizers"], json::array({std::string(api::kFinalizer)}));
  EXPECT_EQ(first.body["metadata"]["resourceVersion"], "7");
}

TEST_F(ReconcilerTest, ASecretsStatusSaysWhereItIsVisible) {
  cluster_.AddProject("alpha");
  cluster_.PutSecret(SecretObject("alpha", "api-token", "API_TOKEN", kValue));

  ASSERT_TRUE(reconciler_.ReconcileSecret({"alpha", "api-token"}).status.ok());

  const std::vector<WriterCall> writes = writer_.Writes();
  ASSERT_EQ(writes.size(), 1u);
  const WriterCall& status = writes[0];
  EXPECT_EQ(status.verb, "patch status");
  EXPECT_EQ(status.body.dump().find(kValue), std::string::npos) << "the status holds the value";
  EXPECT_EQ(status.body.value("/status/visibleIn"_json_pointer, -1), 1) << status.body.dump();
}

// The cache keeps a Secret's status as text (TrimSecret): the reconciler must read it back, or it
// would write every status again at every reconcile.
TEST_F(ReconcilerTest, AStatusThatIsUpToDateInThePackedCacheIsNotWrittenAgain) {
  cluster_.AddProject("alpha");
  json object = SecretObject("alpha", "api-token", "API_TOKEN", kValue);
  cluster_.PutSecret(object);
  ASSERT_TRUE(reconciler_.ReconcileSecret({"alpha", "api-token"}).status.ok());
  ASSERT_EQ(writer_.Writes().size(), 1u);

  object["status"] = writer_.Writes()[0].body["status"];
  TrimSecret(object);
  ASSERT_TRUE(object["status"].is_string());
  cluster_.PutSecret(object);
  ASSERT_TRUE(reconciler_.ReconcileSecret({"alpha", "api-token"}).status.ok());
  EXPECT_EQ(writer_.Writes().size(), 1u) << "the second reconcile wrote " << writer_.Writes().back().body.dump();
}

// The namespace is deleted while the reconcile runs: it is seen by the first read of the cache and
// gone at the second. The reconcile must not rely on the two agreeing.
TEST_F(ReconcilerTest, AProjectGoneBetweenTwoReadsOfTheCacheIsSkipped) {
  cluster_.AddProject("alpha");
  cluster_.PutSecret(SecretObject("alpha", "api-token", "API_TOKEN", kValue));
  cluster_.RemoveProjectAfter("alpha", 2);

  ReconcileResult result = reconciler_.ReconcileSecret({"alpha", "api-token"});

  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(writer_.Writes().size(), 1u);
  EXPECT_EQ(writer_.Writes()[0].body.value("/status/visibleIn"_json_pointer, -1), 0);
}

TEST_F(ReconcilerTest, ASecretThatDoesNotDecryptIsReportedWithoutItsContent) {
  cluster_.AddProject("alpha");
  json object = SecretObject("alpha", "api-token", "API_TOKEN", kValue);
  object["spec"]["encrypted"]["ciphertext"] = Base64Encode("damaged");
  cluster_.PutSecret(object);

  ASSERT_TRUE(reconciler_.ReconcileSecret({"alpha", "api-token"}).status.ok());

  ASSERT_EQ(events_.events.size(), 1u);
  EXPECT_EQ(events_.events[0].reason, "DecryptFailed");
  EXPECT_EQ(events_.events[0].type, kube::EventType::kWarning);
  EXPECT_EQ(events_.events[0].message.find(kValue), std::string::npos);
}

}  // namespace
}  // namespace ks::op
