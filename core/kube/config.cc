#include "core/kube/config.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/common/encoding.h"

namespace ks::kube {
namespace {

namespace fs = std::filesystem;

StatusOr<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path.string());
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

bool IsPemCertificate(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  return cert != nullptr;
}

bool IsPemPrivateKey(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr),
                                                          &EVP_PKEY_free);
  return key != nullptr;
}

// One kubeconfig being read: knows its folder (for relative paths) and names itself in errors.
class KubeconfigReader {
 public:
  KubeconfigReader(fs::path path, YAML::Node root) : path_(std::move(path)), root_(std::move(root)) {}

  StatusOr<ClientConfig> Read(const std::string& requested_context) {
    std::string context_name = requested_context;
    if (context_name.empty()) context_name = Scalar(root_, "current-context");
    if (context_name.empty()) return Error("no context given and no current-context set");

    YAML::Node context = FindNamed("contexts", "context", context_name);
    if (!context) return Error("context \"" + context_name + "\" not found");
    std::string cluster_name = Scalar(context, "cluster");
    std::string user_name = Scalar(context, "user");

    ClientConfig config;
    config.default_namespace = Scalar(context, "namespace");
    YAML::Node cluster = FindNamed("clusters", "cluster", cluster_name);
    if (!cluster) return Error("cluster \"" + cluster_name + "\" of context \"" + context_name + "\" not found");
    KS_RETURN_IF_ERROR(ReadCluster(cluster, "cluster \"" + cluster_name + "\"", config));

    if (!user_name.empty()) {
      YAML::Node user = FindNamed("users", "user", user_name);
      if (!user) return Error("user \"" + user_name + "\" of context \"" + context_name + "\" not found");
      KS_RETURN_IF_ERROR(ReadUser(user, "user \"" + user_name + "\"", config));
    }
    return config;
  }

 private:
  Status ReadCluster(const YAML::Node& cluster, const std::string& where, ClientConfig& config) {
    config.server = Scalar(cluster, "server");
    if (config.server.empty()) return Error(where + " has no server");
    if (cluster["insecure-skip-tls-verify"]) {
      config.insecure_skip_tls_verify = cluster["insecure-skip-tls-verify"].as<bool>();
    }
    auto ca = Credential(cluster, "certificate-authority", where);
    if (!ca.ok()) return ca.status();
    if (!ca->empty() && !IsPemCertificate(*ca)) {
      return Error(where + ": certificate-authority is not a PEM certificate");
    }
    config.ca_pem = std::move(*ca);
    return Status::Ok();
  }

  Status ReadUser(const YAML::Node& user, const std::string& where, ClientConfig& config) {
    auto cert = Credential(user, "client-certificate", where);
    if (!cert.ok()) return cert.status();
    auto key = Credential(user, "client-key", where);
    if (!key.ok()) return key.status();
    if (cert->empty() != key->empty()) {
      return Error(where + ": client-certificate and client-key must be given together");
    }
    if (!cert->empty() && !IsPemCertificate(*cert)) {
      return Error(where + ": client-certificate is not a PEM certificate");
    }
    // The key's text never appears in a message: it is a secret.
    if (!key->empty() && !IsPemPrivateKey(*key)) return Error(where + ": client-key is not a PEM private key");
    config.client_cert_pem = std::move(*cert);
    config.client_key_pem = std::move(*key);

    config.bearer_token = Scalar(user, "token");
    std::string token_file = Scalar(user, "tokenFile");
    if (!token_file.empty()) config.token_file = Resolve(token_file).string();
    return Status::Ok();
  }

  // `<field>-data` (base64) wins over `<field>` (a file path), as in kubectl.
  StatusOr<std::string> Credential(const YAML::Node& node, const std::string& field, const std::string& where) {
    std::string data = Scalar(node, field + "-data");
    if (!data.empty()) {
      data.erase(std::remove_if(data.begin(), data.end(), [](unsigned char c) { return std::isspace(c); }), data.end());
      auto decoded = Base64Decode(data);
      if (!decoded.ok()) return Error(where + ": " + field + "-data is not valid base64");
      return std::move(*decoded);
    }
    std::string file = Scalar(node, field);
    if (file.empty()) return std::string();
    auto content = ReadFile(Resolve(file));
    if (!content.ok()) return Error(where + ": " + field + ": " + content.status().message());
    return content;
  }

  // Entries of a kubeconfig list look like {name: N, <kind>: {...}}; returns the inner map.
  YAML::Node FindNamed(const std::string& list, const std::string& kind, const std::string& name) const {
    for (const auto& entry : root_[list]) {
      if (Scalar(entry, "name") == name) return entry[kind] ? entry[kind] : YAML::Node(YAML::NodeType::Map);
    }
    return YAML::Node(YAML::NodeType::Undefined);
  }

  static std::string Scalar(const YAML::Node& node, const std::string& key) {
    const YAML::Node value = node[key];
    return value && value.IsScalar() ? value.as<std::string>() : std::string();
  }

  fs::path Resolve(const std::string& file) const {
    fs::path p(file);
    return p.is_relative() ? path_.parent_path() / p : p;
  }

  Status Error(const std::string& what) const { return InvalidArgument("kubeconfig " + path_.string() + ": " + what); }

  fs::path path_;
  YAML::Node root_;
};

std::string Getenv(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

StatusOr<ClientConfig> LoadKubeconfig(const std::string& path, const std::string& context) {
  auto text = ReadFile(path);
  if (!text.ok()) return NotFound("kubeconfig: " + text.status().message());
  try {
    YAML::Node root = YAML::Load(*text);
    if (!root.IsMap()) return InvalidArgument("kubeconfig " + path + ": not a YAML map");
    return KubeconfigReader(fs::absolute(path), root).Read(context);
  } catch (const YAML::Exception& e) {
    return InvalidArgument("kubeconfig " + path + ": " + e.what());
  }
}

StatusOr<ClientConfig> LoadInClusterConfig(const std::string& service_account_dir) {
  std::string host = Getenv("KUBERNETES_SERVICE_HOST");
  std::string port = Getenv("KUBERNETES_SERVICE_PORT");
  if (host.empty() || port.empty()) {
    return FailedPrecondition("not in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set");
  }
  if (host.find(':') != std::string::npos) host = "[" + host + "]";  // IPv6

  const fs::path dir(service_account_dir);
  ClientConfig config;
  config.server = "https://" + host + ":" + port;
  config.token_file = (dir / "token").string();
  auto token = ReadFile(config.token_file);
  if (!token.ok()) return token.status();  // fail now rather than on the first request

  auto ca = ReadFile(dir / "ca.crt");
  if (!ca.ok()) return ca.status();
  if (!IsPemCertificate(*ca)) return InvalidArgument((dir / "ca.crt").string() + " is not a PEM certificate");
  config.ca_pem = std::move(*ca);

  if (auto ns = ReadFile(dir / "namespace"); ns.ok()) config.default_namespace = std::move(*ns);
  return config;
}

StatusOr<ClientConfig> LoadDefaultConfig(const std::string& path, const std::string& context) {
  if (!path.empty()) return LoadKubeconfig(path, context);
  if (std::string env = Getenv("KUBECONFIG"); !env.empty()) {
    return LoadKubeconfig(env.substr(0, env.find(':')), context);
  }
  if (context.empty() && !Getenv("KUBERNETES_SERVICE_HOST").empty()) return LoadInClusterConfig();
  std::string home = Getenv("HOME");
  if (home.empty()) return FailedPrecondition("no kubeconfig: KUBECONFIG and HOME are not set, not in a cluster");
  return LoadKubeconfig((fs::path(home) / ".kube" / "config").string(), context);
}

}  // namespace ks::kube
