// Where the API server is and how to authenticate: from a kubeconfig file (yaml-cpp) or from the
// in-cluster service account. Certificates are held as PEM text in memory and checked when loaded,
// so a broken kubeconfig fails here with a message naming the field, not later in a TLS handshake.
// Bearer tokens read from a file are re-read by the Client, because projected tokens rotate.
#pragma once

#include <chrono>
#include <string>

#include "core/common/status.h"

namespace ks::kube {

struct ClientConfig {
  std::string server;  // https://host:port
  std::string ca_pem;  // empty: system trust store
  bool insecure_skip_tls_verify = false;
  std::string client_cert_pem;  // client-certificate authentication
  std::string client_key_pem;
  std::string bearer_token;  // static token
  std::string token_file;    // token re-read every token_refresh; wins over bearer_token
  std::chrono::seconds token_refresh{60};
  std::chrono::seconds request_timeout{30};
  std::string impersonate_user;   // tests act as other users; empty = none
  std::string default_namespace;  // the context's namespace, or the service account's
  // Names the program to the API server: its audit log, and the field manager of every write
  // (metadata.managedFields), are taken from the part before the first "/".
  std::string user_agent = "kernel-secrets";
};

// Reads a kubeconfig: the named context, or current-context when `context` is empty. Supports
// certificate-authority(-data), client-certificate(-data), client-key(-data), token, tokenFile,
// insecure-skip-tls-verify. Relative file paths are relative to the kubeconfig's folder.
StatusOr<ClientConfig> LoadKubeconfig(const std::string& path, const std::string& context = "");

inline constexpr char kServiceAccountDir[] = "/var/run/secrets/kubernetes.io/serviceaccount";

// KUBERNETES_SERVICE_HOST/PORT and {token,ca.crt,namespace} in `service_account_dir`.
StatusOr<ClientConfig> LoadInClusterConfig(const std::string& service_account_dir = kServiceAccountDir);

// `path` if given, else the first file in $KUBECONFIG, else in-cluster when
// KUBERNETES_SERVICE_HOST is set and no `context` is asked for (a context is a kubeconfig's),
// else ~/.kube/config. A kubeconfig is read at `context`, or at its current-context.
StatusOr<ClientConfig> LoadDefaultConfig(const std::string& path = "", const std::string& context = "");

}  // namespace ks::kube
