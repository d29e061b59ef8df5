// Kubeconfig and in-cluster configuration: data and file forms, contexts, relative paths, and
// errors that name what is wrong without quoting credentials.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>

#include "core/common/encoding.h"
#include "core/kube/config.h"

namespace ks::kube {
namespace {

namespace fs = std::filesystem;

struct Pem {
  std::string certificate;
  std::string key;
};

// A fresh self-signed P-256 certificate and its key, so that no key material lives in the tree.
Pem SelfSigned() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), &EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("kube-config-test"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  X509_set_pubkey(cert.get(), key.get());
  X509_sign(cert.get(), key.get(), EVP_sha256());

  const auto to_string = [](auto write) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    write(bio.get());
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(size));
  };
  return {to_string([&](BIO* bio) { PEM_write_bio_X509(bio, cert.get()); }), to_string([&](BIO* bio) {
            PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
          })};
}

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("kube-config-test-" + std::to_string(std::random_device{}()))) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& content) const {
    std::ofstream(path_ / name) << content;
    return (path_ / name).string();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

class KubeconfigTest : public ::testing::Test {
 protected:
  // A kubeconfig whose clusters and users are the given YAML fragments.
  std::string Kubeconfig(const std::string& cluster, const std::string& user,
                         const std::string& extra = "current-context: main\n") {
    return dir_.Write("config",
                      "apiVersion: v1\nkind: Config\n"
                      "clusters:\n- name: local\n  cluster:\n" +
                          cluster + "users:\n- name: admin\n  user:\n" + user +
                          "contexts:\n- name: main\n  context: {cluster: local, user: admin, namespace: team}\n" +
                          extra);
  }

  TempDir dir_;
  Pem ca_ = SelfSigned();
  Pem client_ = SelfSigned();
};

TEST_F(KubeconfigTest, ReadsInlineDataOfTheCurrentContext) {
  const std::string path = Kubeconfig(
      "    server: https://127.0.0.1:6443\n"
      "    certificate-authority-data: " +
          Base64Encode(ca_.certificate) + "\n",
      "    client-certificate-data: " + Base64Encode(client_.certificate) +
          "\n"
          "    client-key-data: " +
          Base64Encode(client_.key) + "\n");
  StatusOr<ClientConfig> config = LoadKubeconfig(path);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->server, "https://127.0.0.1:6443");
  EXPECT_EQ(config->ca_pem, ca_.certificate);
  EXPECT_EQ(config->client_cert_pem, client_.certificate);
  EXPECT_EQ(config->client_key_pem, client_.key);
  EXPECT_EQ(config->default_namespace, "team");
  EXPECT_FALSE(config->insecure_skip_tls_verify);
}

TEST_F(KubeconfigTest, ReadsFilesRelativeToTheKubeconfigFolder) {
  dir_.Write("ca.crt", ca_.certificate);
  dir_.Write("client.crt", client_.certificate);
  dir_.Write("client.key", client_.key);
  dir_.Write("token", "from-file\n");
  const std::string path = Kubeconfig("    server: https://127.0.0.1:6443\n    certificate-authority: ca.crt\n",
                                      "    client-certificate: client.crt\n"
                                      "    client-key: " +
                                          (dir_.path() / "client.key").string() +
                                          "\n"
                                          "    tokenFile: token\n");
  StatusOr<ClientConfig> config = LoadKubeconfig(path);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->ca_pem, ca_.certificate);
  EXPECT_EQ(config->client_cert_pem, client_.certificate);
  EXPECT_EQ(config->client_key_pem, client_.key);
  EXPECT_EQ(config->token_file, (dir_.path() / "token").string());
}

TEST_F(KubeconfigTest, ReadsTokenAndInsecureSkipTlsVerify) {
  const std::string path =
      Kubeconfig("    server: https://10.0.0.1\n    insecure-skip-tls-verify: true\n", "    token: abc.def\n");
  StatusOr<ClientConfig> config = LoadKubeconfig(path);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_TRUE(config->insecure_skip_tls_verify);
  EXPECT_EQ(config->bearer_token, "abc.def");
  EXPECT_TRUE(config->ca_pem.empty());
}

TEST_F(KubeconfigTest, NamedContextWinsOverCurrentContext) {
  const std::string path = dir_.Write("two",
                                      "clusters:\n"
                                      "- {name: a, cluster: {server: 'https://a'}}\n"
                                      "- {name: b, cluster: {server: 'https://b'}}\n"
                                      "contexts:\n"
                                      "- {name: ca, context: {cluster: a}}\n"
                                      "- {name: cb, context: {cluster: b, namespace: nb}}\n"
                                      "current-context: ca\n");
  EXPECT_EQ(LoadKubeconfig(path)->server, "https://a");
  StatusOr<ClientConfig> named = LoadKubeconfig(path, "cb");
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  EXPECT_EQ(named->server, "https://b");
  EXPECT_EQ(named->default_namespace, "nb");
}

struct BrokenKubeconfig {
  std::string name;
  std::string cluster;
  std::string user;
  std::string extra;
  std::string expected_message;
  // Shown by gtest and ctest for the case: its name, not the bytes of the struct.
  friend void PrintTo(const BrokenKubeconfig& c, std::ostream* os) { *os << c.name; }
};

class BrokenKubeconfigTest : public KubeconfigTest, public ::testing::WithParamInterface<BrokenKubeconfig> {};

TEST_P(BrokenKubeconfigTest, IsRefusedWithAMessageNamingTheProblem) {
  const BrokenKubeconfig& c = GetParam();
  const std::string path = Kubeconfig(c.cluster, c.user, c.extra);
  StatusOr<ClientConfig> config = LoadKubeconfig(path);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(config.status().message().find(path), std::string::npos) << config.status().message();
  EXPECT_NE(config.status().message().find(c.expected_message), std::string::npos) << config.status().message();
}

const std::string kServer = "    server: https://127.0.0.1\n";

INSTANTIATE_TEST_SUITE_P(
    Kubeconfig, BrokenKubeconfigTest,
    ::testing::Values(
        BrokenKubeconfig{"UnknownContext", kServer, "    token: t\n", "current-context: elsewhere\n",
                         "context \"elsewhere\" not found"},
        BrokenKubeconfig{"NoContextAtAll", kServer, "    token: t\n", "", "no current-context"},
        BrokenKubeconfig{"NoServer", "    insecure-skip-tls-verify: true\n", "    token: t\n",
                         "current-context: main\n", "cluster \"local\" has no server"},
        BrokenKubeconfig{"CaNotBase64", kServer + "    certificate-authority-data: '%%%'\n", "    token: t\n",
                         "current-context: main\n", "certificate-authority-data is not valid base64"},
        BrokenKubeconfig{"CaNotPem", kServer + "    certificate-authority-data: " + Base64Encode("hello") + "\n",
                         "    token: t\n", "current-context: main\n", "certificate-authority is not a PEM certificate"},
        BrokenKubeconfig{"CaFileMissing", kServer + "    certificate-authority: missing.crt\n", "    token: t\n",
                         "current-context: main\n", "missing.crt"},
        BrokenKubeconfig{"CertificateWithoutKey", kServer,
                         "    client-certificate-data: " + Base64Encode(SelfSigned().certificate) + "\n",
                         "current-context: main\n", "client-certificate and client-key must be given together"},
        BrokenKubeconfig{"KeyNotPem", kServer,
                         "    client-certificate-data: " + Base64Encode(SelfSigned().certificate) + "\n" +
                             "    client-key-data: " + Base64Encode("not-a-key-but-secret") + "\n",
                         "current-context: main\n", "client-key is not a PEM private key"}),
    [](const ::testing::TestParamInfo<BrokenKubeconfig>& info) { return info.param.name; });

TEST_F(KubeconfigTest, KeyTextNeverAppearsInAnError) {
  const std::string path =
      Kubeconfig(kServer, "    client-certificate-data: " + Base64Encode(client_.certificate) + "\n" +
                              "    client-key-data: " + Base64Encode("not-a-key-but-secret") + "\n");
  const std::string message = LoadKubeconfig(path).status().message();
  EXPECT_EQ(message.find("not-a-key-but-secret"), std::string::npos) << message;
  EXPECT_EQ(message.find(Base64Encode("not-a-key-but-secret")), std::string::npos) << message;
}

// kubectl's --context: the named context's cluster, user and namespace instead of current-context's.
TEST_F(KubeconfigTest, DefaultConfigReadsTheContextAskedFor) {
  const std::string path =
      Kubeconfig("    server: https://127.0.0.1:6443\n", "    token: abc.def\n",
                 "- name: other\n  context: {cluster: local, user: admin, namespace: elsewhere}\n"
                 "current-context: main\n");
  StatusOr<ClientConfig> config = LoadDefaultConfig(path, "other");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->default_namespace, "elsewhere");
  EXPECT_THAT(LoadDefaultConfig(path, "missing").status().message(), ::testing::HasSubstr("\"missing\" not found"));
}

TEST(Kubeconfig, MissingFileIsNotFound) {
  StatusOr<ClientConfig> config = LoadKubeconfig("/nonexistent/kubeconfig");
  EXPECT_EQ(config.status().code(), StatusCode::kNotFound);
  EXPECT_NE(config.status().message().find("/nonexistent/kubeconfig"), std::string::npos);
}

TEST(Kubeconfig, InvalidYamlIsInvalidArgument) {
  TempDir dir;
  StatusOr<ClientConfig> config = LoadKubeconfig(dir.Write("config", "clusters: [unclosed\n"));
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument) << config.status().ToString();
}

class InClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("token", "service-account-token\n");
    dir_.Write("ca.crt", SelfSigned().certificate);
    dir_.Write("namespace", "operators");
  }
  void TearDown() override {
    unsetenv("KUBERNETES_SERVICE_HOST");
    unsetenv("KUBERNETES_SERVICE_PORT");
  }
  TempDir dir_;
};

TEST_F(InClusterTest, ReadsTheServiceAccount) {
  setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
  setenv("KUBERNETES_SERVICE_PORT", "443", 1);
  StatusOr<ClientConfig> config = LoadInClusterConfig(dir_.path().string());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->server, "https://10.96.0.1:443");
  EXPECT_EQ(config->token_file, (dir_.path() / "token").string());
  EXPECT_EQ(config->default_namespace, "operators");
  EXPECT_FALSE(config->ca_pem.empty());
}

TEST_F(InClusterTest, BracketsAnIpv6Host) {
  setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
  setenv("KUBERNETES_SERVICE_PORT", "443", 1);
  EXPECT_EQ(LoadInClusterConfig(dir_.path().string())->server, "https://[fd00::1]:443");
}

TEST_F(InClusterTest, OutsideAClusterIsFailedPrecondition) {
  EXPECT_EQ(LoadInClusterConfig(dir_.path().string()).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(InClusterTest, MissingTokenIsNotFound) {
  setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
  setenv("KUBERNETES_SERVICE_PORT", "443", 1);
  fs::remove(dir_.path() / "token");
  EXPECT_EQ(LoadInClusterConfig(dir_.path().string()).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace ks::kube
