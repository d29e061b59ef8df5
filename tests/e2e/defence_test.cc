// What happens when the webhooks are bypassed or the keys change under stored secrets: the
// operator encrypts a value that reached storage, reports a ciphertext that does not decrypt
// without ever half-applying it, re-wraps every data key when the active key changes, and refuses
// a keyring that would make the stored values undecryptable.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/common/encoding.h"
#include "support/local_cluster.h"
#include "tests/e2e/metrics_scrape.h"
#include "tests/e2e/project.h"

namespace ks::e2e {
namespace {

using ::testing::HasSubstr;

// Removes the operator's Secret webhooks (those scripts/local-up registered) for the scope of a
// test, as a misconfigured cluster would, and puts them back afterwards.
class WebhooksBypassed {
 public:
  static constexpr const char* kOperatorWebhooks = "kernel-secrets-local-operator";

  WebhooksBypassed() {
    for (const char* kind : {"mutatingwebhookconfiguration", "validatingwebhookconfiguration"}) {
      json saved = admin_.Get({kind, kOperatorWebhooks});
      EXPECT_FALSE(saved.is_null()) << kind << " " << kOperatorWebhooks << " is not installed";
      for (const char* field : {"resourceVersion", "uid", "creationTimestamp", "generation", "managedFields"}) {
        saved["metadata"].erase(field);
      }
      saved_.push_back(saved);
      EXPECT_TRUE(admin_.Run({"delete", kind, kOperatorWebhooks}).ok());
    }
  }
  ~WebhooksBypassed() {
    for (const json& config : saved_) EXPECT_TRUE(admin_.Create(config).ok()) << "could not restore a webhook";
  }

 private:
  Kubectl admin_;
  std::vector<json> saved_;
};

class Defence : public ProjectsTest {
 protected:
  json Stored(const std::string& name) { return admin_.Get({"ksecret", name, "-n", project_a_}); }

  std::string Condition(const std::string& name, const std::string& type) {
    for (const json& c : Stored(name).value("/status/conditions"_json_pointer, json::array())) {
      if (c["type"] == type) return c["status"];
    }
    return "";
  }
};

TEST_F(Defence, ValueThatReachedStorageIsEncryptedAtOnceWithAWarning) {
  if (ServerMinorVersion() >= kCelValidationSince) {
    GTEST_SKIP() << "on 1." << ServerMinorVersion() << " no value reaches storage: the CRD's CEL rule refuses it "
                 << "(Defence.WithCelTheApiServerItselfRefusesAValueTheWebhooksDidNotEncrypt)";
  }
  const std::string value = NewSecretValue();
  {
    WebhooksBypassed bypass;
    ASSERT_TRUE(admin_.Create(SecretManifest(project_a_, "leaked", "LEAKED", value)).ok());
  }
  ASSERT_TRUE(testing::Eventually([&] {
    json s = Stored("leaked");
    return !s["spec"].contains("value") && s["spec"].contains("encrypted");
  }));
  EXPECT_TRUE(testing::Eventually([&] {
    return admin_.Run({"get", "events", "-n", project_a_, "--field-selector", "reason=PlaintextStored"})
               .out.find("leaked") != std::string::npos;
  }));
  EXPECT_TRUE(testing::Eventually([&] { return Holds(NativeSecretData(project_a_), "LEAKED", value); }));
  // etcd keeps the leaked revision until compaction; what is current holds no plaintext anywhere.
  EXPECT_EQ(Stored("leaked").dump().find(value), std::string::npos);
  ExpectNoPlaintextAnywhere();
}

TEST_F(Defence, WithCelTheApiServerItselfRefusesAValueTheWebhooksDidNotEncrypt) {
  if (ServerMinorVersion() < kCelValidationSince) {
    GTEST_SKIP() << "the API server is 1." << ServerMinorVersion() << ": CRD validation rules are on from 1."
                 << kCelValidationSince << " (Defence.ValueThatReachedStorageIsEncryptedAtOnceWithAWarning)";
  }
  const std::string value = NewSecretValue();
  CommandResult r;
  {
    WebhooksBypassed bypass;
    r = admin_.Create(SecretManifest(project_a_, "leaked", "LEAKED", value));
  }
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.err, HasSubstr("spec.value would be stored in plaintext"));
  EXPECT_EQ(r.err.find(value), std::string::npos) << "the refusal names no value";
  EXPECT_TRUE(Stored("leaked").is_null());
  ExpectNoPlaintextAnywhere();
}

TEST_F(Defence, ASecretStoredWithoutContentIsReportedAndTheOperatorKeepsWorking) {
  if (ServerMinorVersion() >= kCelValidationSince) {
    GTEST_SKIP() << "on 1." << ServerMinorVersion() << " the CRD's CEL rule refuses a secret without content";
  }
  json empty = SecretManifest(project_a_, "empty", "EMPTY", "");
  empty["spec"].erase("value");
  {
    WebhooksBypassed bypass;
    ASSERT_TRUE(admin_.Create(empty).ok());
  }
  EXPECT_TRUE(testing::Eventually([&] { return Condition("empty", "DecryptFailed") == "True"; }));
  EXPECT_FALSE(NativeSecretData(project_a_).contains("EMPTY"));
  // Reconciling it once ended the process (a JSON type error); the operator still serves.
  const std::string value = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "after", "AFTER", value)).ok());
  EXPECT_TRUE(testing::Eventually([&] { return Holds(NativeSecretData(project_a_), "AFTER", value); }));
}

TEST_F(Defence, TransplantedCiphertextIsReportedAndNeverApplied) {
  const std::string donor_value = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "donor", "DONOR", donor_value)).ok());
  ASSERT_TRUE(testing::Eventually([&] { return Stored("donor").contains("status"); }));
  json forged = SecretManifest(project_a_, "forged", "FORGED", "");
  forged["spec"]["encrypted"] = Stored("donor")["spec"]["encrypted"];
  {
    WebhooksBypassed bypass;
    ASSERT_TRUE(admin_.Create(forged).ok());
  }
  EXPECT_TRUE(testing::Eventually([&] { return Condition("forged", "DecryptFailed") == "True"; }));
  EXPECT_EQ(Condition("forged", "Ready"), "False");
  // The project's native Secret is written by a reconcile of its own, after the donor's status:
  // wait until it holds the donor.
  std::map<std::string, std::string> data;
  EXPECT_TRUE(testing::Eventually([&] {
    data = NativeSecretData(project_a_);
    return Holds(data, "DONOR", donor_value);
  }));
  EXPECT_FALSE(data.contains("FORGED")) << "a secret that does not decrypt is left out whole";
  EXPECT_TRUE(testing::Eventually([&] {
    return admin_.Run({"get", "events", "-n", project_a_, "--field-selector", "reason=DecryptFailed"})
               .out.find("forged") != std::string::npos;
  }));
}

TEST_F(Defence, RotatingTheActiveKeyRewrapsEveryDataKey) {
  const std::string value = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "token", "TOKEN", value)).ok());
  ASSERT_TRUE(testing::Eventually([&] { return Stored("token").contains("status"); }));

  const std::string keyring_path = testing::StateDir() + "/keyring.yaml";
  std::stringstream keyring;
  keyring << std::ifstream(keyring_path).rdbuf();
  std::string rotated = keyring.str();
  const std::string new_id = testing::UniqueName("key");
  const std::string new_key = "  - id: " + new_id + "\n    secret: " + Base64Encode(std::string(32, '\x5a')) + "\n";
  rotated.replace(rotated.find("active:"), rotated.find('\n', rotated.find("active:")) - rotated.find("active:"),
                  "active: " + new_id);
  std::ofstream(keyring_path + ".new") << rotated << new_key;
  ASSERT_EQ(std::rename((keyring_path + ".new").c_str(), keyring_path.c_str()), 0);

  EXPECT_TRUE(testing::Eventually([&] { return Stored("token")["spec"]["encrypted"]["keyId"] == new_id; },
                                  std::chrono::seconds(90)));
  const std::string edited = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "token", "TOKEN", edited)).ok());
  EXPECT_TRUE(testing::Eventually([&] { return Holds(NativeSecretData(project_a_), "TOKEN", edited); }));
  EXPECT_EQ(Stored("token")["spec"]["encrypted"]["keyId"], new_id) << "new values are sealed under the new key";
}

// The local keyring file (scripts/local-up), read whole; written back as it was when the scope ends.
class KeyringFile {
 public:
  KeyringFile() : path_(testing::StateDir() + "/keyring.yaml") {
    std::stringstream content;
    content << std::ifstream(path_).rdbuf();
    original_ = content.str();
  }
  ~KeyringFile() { Write(original_); }

  const std::string& original() const { return original_; }

  // Replaced as the kubelet replaces a mounted Secret's file: whole, by a rename.
  void Write(const std::string& content) const {
    std::ofstream(path_ + ".new") << content;
    EXPECT_EQ(std::rename((path_ + ".new").c_str(), path_.c_str()), 0);
  }

 private:
  std::string path_;
  std::string original_;
};

// `keyring` with the secret of key `id` replaced by other bytes: the same id, another key, as a
// re-rendered chart would generate.
std::string WithOtherBytesFor(const std::string& keyring, const std::string& id) {
  const std::size_t entry = keyring.find("- id: " + id + "\n");
  const std::size_t secret = keyring.find("secret: ", entry);
  EXPECT_TRUE(entry != std::string::npos && secret != std::string::npos) << "key " << id << " is not in the keyring";
  const std::size_t end = keyring.find('\n', secret);
  return keyring.substr(0, secret) + "secret: " + Base64Encode(std::string(32, '\x33')) + keyring.substr(end);
}

std::string ActiveKeyId(const std::string& keyring) {
  const std::size_t start = keyring.find("active: ") + 8;
  return keyring.substr(start, keyring.find('\n', start) - start);
}

// The operator's counter of refused keyrings, 0 when it has not counted any.
double KeyringsRefused() {
  return SeriesValue(ScrapeMetrics(Component::kOperator), "kernel_secrets_keyrings_refused_total").value_or(0);
}

TEST_F(Defence, AKeyringThatGivesAKeyInUseOtherBytesIsRefusedAndNoValueIsLost) {
  const std::string value = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "token", "TOKEN", value)).ok());
  ASSERT_TRUE(testing::Eventually([&] { return Holds(NativeSecretData(project_a_), "TOKEN", value); }));

  const KeyringFile keyring;
  const double refused_before = KeyringsRefused();
  keyring.Write(WithOtherBytesFor(keyring.original(), ActiveKeyId(keyring.original())));
  // The operator re-reads the file every 10 s.
  EXPECT_TRUE(testing::Eventually([&] { return KeyringsRefused() > refused_before; }, std::chrono::seconds(40)))
      << "the operator did not count a refused keyring";

  // It keeps the keyring it has: the project keeps its value, and new values still work.
  const std::string added = NewSecretValue();
  ASSERT_TRUE(admin_.Apply(SecretManifest(project_a_, "added", "ADDED", added)).ok());
  EXPECT_TRUE(testing::Eventually([&] {
    const std::map<std::string, std::string> data = NativeSecretData(project_a_);
    return Holds(data, "TOKEN", value) && Holds(data, "ADDED", added);
  }));
  EXPECT_EQ(Condition("token", "DecryptFailed"), "False");
  ExpectNoPlaintextAnywhere();
}

}  // namespace
}  // namespace ks::e2e
