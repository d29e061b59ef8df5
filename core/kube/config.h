// Where the API server is and how to authenticate: from a kubeconfig file (yaml-cpp) or from the
// in-cluster service account. Bearer tokens read from a file are re-read periodically, because
// projected service-account tokens rotate.
#pragma once

#include <chrono>
#include <string>

#include "core/common/status.h"

namespace ks::kube {

struct ClientConfig {
  std::string server;           // https://host:port
  std::string ca_pem;           // empty: system trust store
  bool insecure_skip_tls_verify = false;
  std::string client_cert_pem;  // client-certificate authentication
  std::string client_key_pem;
  std::string bearer_token;     // static token
  std::string token_file;       // token re-read every token_refresh
  std::chrono::seconds token_refresh{60};
  std::chrono::seconds request_timeout{30};
  std::string impersonate_user;  // tests act as other users; empty = none
};

// Reads a kubeconfig: the named context, or current-context when `context` is empty. Supports
// certificate-authority(-data), client-certificate(-data), client-key(-data), token, tokenFile.
// Relative file paths are relative to the kubeconfig's folder.
StatusOr<ClientConfig> LoadKubeconfig(const std::string& path, const std::string& context = "");

// KUBERNETES_SERVICE_HOST/PORT and /var/run/secrets/kubernetes.io/serviceaccount/{token,ca.crt}.
StatusOr<ClientConfig> LoadInClusterConfig();

// `path` if given, else $KUBECONFIG, else in-cluster, else ~/.kube/config.
StatusOr<ClientConfig> LoadDefaultConfig(const std::string& path = "");

}  // namespace ks::kube
