#include "operator/secret_admission.h"

#include <gtest/gtest.h>

#include "core/api/secret_name.h"
#include "core/common/encoding.h"
#include "operator/secret_content.h"
#include "tests/unit/fake_cluster.h"

namespace ks::op {
namespace {

using admission::AdmissionDecision;
using admission::AdmissionRequest;
using nlohmann::json;

constexpr char kValue[] = "s3cr3t-VALUE-never-shown";

std::shared_ptr<const crypto::Keyring> TestKeyring(const std::string& active = "k1") {
  const std::string yaml = "active: " + active +
                           "\nkeys:\n  - id: k1\n    secret: " + Base64Encode(std::string(32, 'a')) +
                           "\n  - id: k2\n    secret: " + Base64Encode(std::string(32, 'b')) + "\n";
  StatusOr<crypto::Keyring> keyring = crypto::Keyring::Parse(yaml);
  EXPECT_TRUE(keyring.ok()) << keyring.status().ToString();
  return std::make_shared<const crypto::Keyring>(std::move(*keyring));
}

json SealedFor(const std::string& plaintext, const api::ObjectKey& key, const crypto::Keyring& keyring) {
  StatusOr<crypto::SealedValue> sealed = SealContent(keyring, plaintext, key);
  EXPECT_TRUE(sealed.ok());
  return crypto::ToJson(*sealed);
}

json Manifest(const std::string& name, const std::string& spec_name, const std::string& value) {
  json object = {{"apiVersion", "kernelsecrets.dev/v1alpha1"},
                 {"kind", "Secret"},
                 {"metadata", {{"name", name}}},
                 {"spec", {{"name", spec_name}}}};
  if (!value.empty()) object["spec"]["value"] = value;
  return object;
}

json WithField(json object, const json::json_pointer& pointer, json value) {
  object[pointer] = std::move(value);
  return object;
}

class SecretAdmissionTest : public ::testing::Test {
 protected:
  SecretAdmissionTest() : keyring_(TestKeyring()), admission_([this] { return keyring_; }, cluster_, ReappliedValues::kKeepStoredCiphertext) {
    cluster_.AddProject("a", "c").AddProject("b", "c").AddProject("x", "elsewhere");
    cluster_.AddSecret("a", "shared", "SHARED", "2026-01-01T00:00:00Z",
                       SealedFor("from-a", {"a", "shared"}, *keyring_));
    cluster_.AddShare("a", "shared", "c", "2026-01-02T00:00:00Z");
    cluster_.AddSecret("a", "private", "PRIVATE", "2026-01-01T00:00:00Z",
                       SealedFor("private-a", {"a", "private"}, *keyring_));
  }

  static AdmissionRequest Create(const std::string& ns, json object) {
    AdmissionRequest r;
    r.operation = "CREATE";
    r.ns = ns;
    r.name = object.value("/metadata/name"_json_pointer, std::string());
    r.user_info.username = "alice";
    object["metadata"]["namespace"] = ns;
    r.object = std::move(object);
    return r;
  }

  static AdmissionRequest Update(const json& old, json object) {
    AdmissionRequest r = Create(old["metadata"]["namespace"], std::move(object));
    r.operation = "UPDATE";
    r.user_info.username = "bob";
    r.old_object = old;
    return r;
  }

  // The stored object a CREATE of `manifest` yields.
  json Stored(const std::string& ns, const json& manifest) {
    AdmissionDecision d = admission_.Mutate(Create(ns, manifest));
    EXPECT_TRUE(d.allowed) << d.message;
    return d.mutated_object.value_or(json());
  }

  std::string Plaintext(const json& stored) {
    StatusOr<std::string> p = OpenContent(*keyring_, api::ViewSecret(stored));
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : "";
  }

  // The answer to an update of `stored` that changes only spec.name.
  AdmissionDecision Rename(const json& stored, const std::string& new_name) {
    json renamed = stored;
    renamed["spec"]["name"] = new_name;
    return admission_.Mutate(Update(stored, renamed));
  }

  // `d` answers a re-apply of kValue over `stored` without saying whether kValue was stored.
  void ExpectSealedAfresh(const AdmissionDecision& d, const json& stored) {
    ASSERT_TRUE(d.allowed) << d.message;
    EXPECT_NE((*d.mutated_object)["spec"]["encrypted"], stored["spec"]["encrypted"])
        << "an answer that kept the ciphertext would say the guess was right";
    EXPECT_EQ(Plaintext(*d.mutated_object), kValue);
  }

  FakeCluster cluster_;
  std::shared_ptr<const crypto::Keyring> keyring_;
  SecretAdmission admission_;
};

TEST_F(SecretAdmissionTest, CreateStoresOnlyCiphertextAndRecordsCreator) {
  json stored = Stored("a", Manifest("token", "API-TOKEN", kValue));
  EXPECT_FALSE(stored.contains("/spec/value"_json_pointer));
  EXPECT_EQ(stored.dump().find(kValue), std::string::npos);
  EXPECT_EQ(Plaintext(stored), kValue);
  EXPECT_EQ(stored["metadata"]["annotations"]["kernelsecrets.dev/created-by"], "alice");
  EXPECT_EQ(stored["metadata"]["finalizers"], json::array({"kernelsecrets.dev/finalizer"}));
}

TEST_F(SecretAdmissionTest, CreateRemovesTheValueFromLastAppliedAnnotation) {
  json manifest = Manifest("token", "API-TOKEN", kValue);
  json applied = manifest;
  manifest["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] = applied.dump() + "\n";
  json stored = Stored("a", manifest);
  const std::string annotation = stored["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"];
  EXPECT_EQ(annotation.find(kValue), std::string::npos);
  EXPECT_EQ(json::parse(annotation)["spec"]["name"], "API-TOKEN");
}

TEST_F(SecretAdmissionTest, LastAppliedAnnotationThatIsNotJsonIsDropped) {
  json manifest = Manifest("token", "API-TOKEN", kValue);
  manifest["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] =
      std::string("{broken ") + kValue;
  json stored = Stored("a", manifest);
  EXPECT_FALSE(stored["metadata"]["annotations"].contains("kubectl.kubernetes.io/last-applied-configuration"));
}

struct Refusal {
  std::string case_name;
  std::string ns;
  json manifest;
  int code;
  std::string message_part;
  // Shown by gtest and ctest for the case: its name, not the bytes of the struct.
  friend void PrintTo(const Refusal& c, std::ostream* os) { *os << c.case_name; }
};

class SecretCreateRefusal : public SecretAdmissionTest, public ::testing::WithParamInterface<Refusal> {};

TEST_P(SecretCreateRefusal, IsRefusedWithAClearMessageThatNeverHoldsTheValue) {
  AdmissionDecision d = admission_.Mutate(Create(GetParam().ns, GetParam().manifest));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, GetParam().code);
  EXPECT_NE(d.message.find(GetParam().message_part), std::string::npos) << d.message;
  EXPECT_EQ(d.message.find(kValue), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SecretCreateRefusal,
    ::testing::Values(
        Refusal{"BadName", "a", Manifest("t", "9lives", kValue), 422, "starts with a letter"},
        Refusal{"DuplicateName", "a", Manifest("t", "SHARED", kValue), 409, "already exists in project \"a\""},
        Refusal{"GenerateName", "a",
                WithField(Manifest("", "TOKEN", kValue), "/metadata/generateName"_json_pointer, "t-"), 422,
                "generateName is not supported"},
        Refusal{"HandWrittenCiphertext", "a",
                WithField(Manifest("t", "TOKEN", kValue), "/spec/encrypted"_json_pointer,
                          {{"keyId", "k1"}, {"ciphertext", "AAAA"}}),
                422, "spec.encrypted is written by kernel-secrets only"},
        Refusal{"NoContent", "a", Manifest("t", "TOKEN", ""), 422, "spec.value or spec.copyFrom is required"},
        Refusal{"EmptyValue", "a", WithField(Manifest("t", "TOKEN", ""), "/spec/value"_json_pointer, ""), 422,
                "spec.value is empty"},
        Refusal{"CopyFromUnsharedSecretOfAnotherProject", "b",
                WithField(Manifest("t", "TOKEN", ""), "/spec/copyFrom"_json_pointer,
                          {{"namespace", "a"}, {"name", "private"}}),
                404, "does not exist or is not visible to project"},
        Refusal{"CopyFromMissingSecretSaysTheSame", "b",
                WithField(Manifest("t", "TOKEN", ""), "/spec/copyFrom"_json_pointer,
                          {{"namespace", "a"}, {"name", "nothing-here"}}),
                404, "does not exist or is not visible to project"}),
    [](const auto& info) { return info.param.case_name; });

TEST_F(SecretAdmissionTest, CopyFromAnotherCommunityIsRefused) {
  json manifest =
      WithField(Manifest("t", "TOKEN", ""), "/spec/copyFrom"_json_pointer, {{"namespace", "a"}, {"name", "shared"}});
  AdmissionDecision d = admission_.Mutate(Create("x", manifest));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, 404);
}

TEST_F(SecretAdmissionTest, CopyOfSharedSecretIsReencryptedForTheCopy) {
  json manifest =
      WithField(Manifest("mine", "MINE", ""), "/spec/copyFrom"_json_pointer, {{"namespace", "a"}, {"name", "shared"}});
  json stored = Stored("b", manifest);
  EXPECT_EQ(Plaintext(stored), "from-a");
  EXPECT_NE(stored["spec"]["encrypted"], cluster_.FindSecret({"a", "shared"})->encrypted);
  EXPECT_EQ(stored["spec"]["copyFrom"], json({{"namespace", "a"}, {"name", "shared"}}));
}

TEST_F(SecretAdmissionTest, CopyWithinTheProjectDefaultsTheNamespace) {
  json stored =
      Stored("a", WithField(Manifest("dup", "DUP", ""), "/spec/copyFrom"_json_pointer, {{"name", "private"}}));
  EXPECT_EQ(Plaintext(stored), "private-a");
  EXPECT_EQ(stored["spec"]["copyFrom"]["namespace"], "a");
}

TEST_F(SecretAdmissionTest, ValueGivenBesideCopyFromWins) {
  json manifest = WithField(Manifest("mine", "MINE", kValue), "/spec/copyFrom"_json_pointer,
                            {{"namespace", "a"}, {"name", "shared"}});
  EXPECT_EQ(Plaintext(Stored("b", manifest)), kValue);
}

TEST_F(SecretAdmissionTest, ReapplyingTheSameValueKeepsTheStoredCiphertext) {
  json stored = Stored("a", Manifest("token", "API-TOKEN", kValue));
  json reapplied = stored;
  reapplied["spec"]["value"] = kValue;
  AdmissionDecision d = admission_.Mutate(Update(stored, reapplied));
  ASSERT_TRUE(d.allowed) << d.message;
  EXPECT_EQ(*d.mutated_object, stored);
}

TEST_F(SecretAdmissionTest, ADryRunOfTheSameValueIsSealedAfreshSoItsAnswerTellsNothing) {
  json stored = Stored("a", Manifest("token", "API-TOKEN", kValue));
  json reapplied = stored;
  reapplied["spec"]["value"] = kValue;
  AdmissionRequest dry_run = Update(stored, reapplied);
  dry_run.dry_run = true;
  AdmissionDecision d = admission_.Mutate(dry_run);
  ExpectSealedAfresh(d, stored);
}

TEST_F(SecretAdmissionTest, WithoutAuthenticatedCallersAReapplyIsSealedAfreshSoNoForgedReviewLearnsTheValue) {
  SecretAdmission anyone_may_call([this] { return keyring_; }, cluster_, ReappliedValues::kSealAfresh);
  json stored = Stored("a", Manifest("token", "API-TOKEN", kValue));
  json reapplied = stored;
  reapplied["spec"]["value"] = kValue;
  AdmissionDecision d = anyone_may_call.Mutate(Update(stored, reapplied));
  ExpectSealedAfresh(d, stored);
}

TEST_F(SecretAdmissionTest, NewValueIsSealedAfresh) {
  json stored = Stored("a", Manifest("token", "API-TOKEN", kValue));
  json edited = stored;
  edited["spec"]["value"] = "another";
  AdmissionDecision d = admission_.Mutate(Update(stored, edited));
  ASSERT_TRUE(d.allowed) << d.message;
  EXPECT_EQ(Plaintext(*d.mutated_object), "another");
  EXPECT_FALSE(d.mutated_object->contains("/spec/value"_json_pointer));
}

TEST_F(SecretAdmissionTest, RenameKeepsTheContent) {
  json stored = Stored("a", Manifest("token", "API-TOKEN", kValue));
  AdmissionDecision d = Rename(stored, "NEW-NAME");
  ASSERT_TRUE(d.allowed) << d.message;
  EXPECT_EQ(Plaintext(*d.mutated_object), kValue);
}

TEST_F(SecretAdmissionTest, RenameOntoATakenNameIsRefused) {
  json stored = Stored("a", Manifest("token", "API-TOKEN", kValue));
  AdmissionDecision d = Rename(stored, "PRIVATE");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, 409);
  EXPECT_NE(d.message.find("a secret named \"PRIVATE\" already exists in project \"a\""), std::string::npos)
      << d.message;
}

TEST_F(SecretAdmissionTest, CreateWithAStartupVariableNameIsRefused) {
  AdmissionDecision d = admission_.Mutate(Create("a", Manifest("path", "PYTHONPATH", kValue)));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, 422);
  EXPECT_NE(d.message.find("secret name \"PYTHONPATH\" is refused: the Python interpreter"), std::string::npos)
      << d.message;
  EXPECT_NE(d.message.find(api::kStartupNameRule), std::string::npos);
  EXPECT_EQ(d.message.find(kValue), std::string::npos);
}

TEST_F(SecretAdmissionTest, RenameToAStartupVariableIsRefused) {
  // The attack: an editor of a project that shares a secret renames it to change how every kernel of
  // the community starts.
  json stored = Stored("a", Manifest("shared-token", "API-TOKEN", kValue));
  AdmissionDecision d = Rename(stored, "PATH");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, 422);
  EXPECT_NE(d.message.find("secret name \"PATH\" is refused: shells read it"), std::string::npos) << d.message;
}

TEST_F(SecretAdmissionTest, SecretNamedBeforeTheStartupRuleCanStillBeUpdated) {
  // Stored before the rule (or past the webhooks): key rotation's re-wrap and a new value still pass,
  // so the operator's own writes never stick; the name reaches no kernel (visibility).
  json stored = Stored("a", Manifest("tmp", "API-TOKEN", kValue));
  stored["spec"]["name"] = "TMPDIR";
  json edited = WithField(stored, "/spec/value"_json_pointer, "another");
  AdmissionDecision d = admission_.Mutate(Update(stored, edited));
  EXPECT_TRUE(d.allowed) << d.message;
}

TEST_F(SecretAdmissionTest, SecretsThatAlreadyShareANameCanStillBeEdited) {
  // Two creates that raced past the cache: each keeps its name and can still take a new value.
  cluster_.AddSecret("a", "twin", "PRIVATE", "2026-01-03T00:00:00Z", SealedFor("twin-a", {"a", "twin"}, *keyring_));
  json twin = Stored("a", Manifest("twin", "PRIVATE-2", kValue));
  twin["spec"]["name"] = "PRIVATE";
  json edited = twin;
  edited["spec"]["value"] = "another";
  AdmissionDecision d = admission_.Mutate(Update(twin, edited));
  ASSERT_TRUE(d.allowed) << d.message;
  EXPECT_EQ(Plaintext(*d.mutated_object), "another");
}

TEST_F(SecretAdmissionTest, UpdateWithoutContentKeepsTheStoredContent) {
  json stored = Stored("a", Manifest("token", "API-TOKEN", kValue));
  json replaced = Manifest("token", "API-TOKEN", "");
  replaced["metadata"]["namespace"] = "a";
  AdmissionDecision d = admission_.Mutate(Update(stored, replaced));
  ASSERT_TRUE(d.allowed) << d.message;
  EXPECT_EQ(Plaintext(*d.mutated_object), kValue);
  EXPECT_EQ(d.mutated_object->at("/metadata/annotations/kernelsecrets.dev~1created-by"_json_pointer), "alice")
      << "the creator survives an update that drops the annotation";
}

TEST_F(SecretAdmissionTest, CreatorCannotBeChanged) {
  json stored = Stored("a", Manifest("token", "API-TOKEN", kValue));
  json forged = stored;
  forged["metadata"]["annotations"]["kernelsecrets.dev/created-by"] = "mallory";
  AdmissionDecision d = admission_.Mutate(Update(stored, forged));
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.message.find("cannot be changed"), std::string::npos);
}

TEST_F(SecretAdmissionTest, CopyFromCannotBeSetLater) {
  json stored = Stored("a", Manifest("token", "API-TOKEN", kValue));
  json edited = WithField(stored, "/spec/copyFrom"_json_pointer, {{"namespace", "a"}, {"name", "private"}});
  AdmissionDecision d = admission_.Mutate(Update(stored, edited));
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.message.find("only be set when a secret is created"), std::string::npos);
}

TEST_F(SecretAdmissionTest, CiphertextTransplantedFromAnotherSecretIsRefused) {
  json stored = Stored("a", Manifest("token", "API-TOKEN", kValue));
  json transplanted =
      WithField(stored, "/spec/encrypted"_json_pointer, cluster_.FindSecret({"a", "private"})->encrypted);
  AdmissionDecision d = admission_.Mutate(Update(stored, transplanted));
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.message.find("written by kernel-secrets only"), std::string::npos);
}

TEST_F(SecretAdmissionTest, RewrapUnderTheNewActiveKeyIsAccepted) {
  json stored = Stored("a", Manifest("token", "API-TOKEN", kValue));
  keyring_ = TestKeyring("k2");
  StatusOr<crypto::SealedValue> sealed = crypto::SealedValueFromJson(stored["spec"]["encrypted"]);
  StatusOr<crypto::SealedValue> rewrapped = crypto::Rewrap(*keyring_, *sealed, crypto::AssociatedDataFor("a", "token"));
  ASSERT_TRUE(rewrapped.ok());
  json rotated = WithField(stored, "/spec/encrypted"_json_pointer, crypto::ToJson(*rewrapped));
  AdmissionDecision d = admission_.Mutate(Update(stored, rotated));
  ASSERT_TRUE(d.allowed) << d.message;
  EXPECT_EQ(d.mutated_object->at("/spec/encrypted/keyId"_json_pointer), "k2");
}

TEST_F(SecretAdmissionTest, SealingAValueThatReachedStorageIsAccepted) {
  json leaked = Manifest("token", "API-TOKEN", kValue);
  leaked["metadata"]["namespace"] = "a";
  json sealed = leaked;
  StoreSealed(sealed, *crypto::SealedValueFromJson(SealedFor(kValue, {"a", "token"}, *keyring_)));
  EXPECT_TRUE(admission_.Mutate(Update(leaked, sealed)).allowed);
}

TEST_F(SecretAdmissionTest, ValidationRefusesAnyObjectStillCarryingAValue) {
  AdmissionRequest r = Create("a", Manifest("token", "API-TOKEN", kValue));
  AdmissionDecision d = admission_.Validate(r);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.message.find(kValue), std::string::npos);
  r.object = Stored("a", Manifest("token", "API-TOKEN", kValue));
  EXPECT_TRUE(admission_.Validate(r).allowed);
}

}  // namespace
}  // namespace ks::op
