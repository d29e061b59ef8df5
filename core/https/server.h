// An HTTPS server for webhooks, probes and metrics on Boost.Beast: TLS 1.2 or newer with the
// certificate reloaded when its files change, a request body cap (413), read and idle timeouts,
// keep-alive, and a pool of I/O threads that run the handlers. Routes are exact paths.
// Register routes before Start(); Start() and Stop() are called from one controlling thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/common/status.h"
#include "core/https/message.h"
#include "core/https/metrics.h"

namespace ks::https {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 0;  // 0: an ephemeral port, see Server::port()
  // SO_REUSEPORT: other sockets of the same effective UID may listen on the same address and port,
  // and the kernel spreads new connections over them. For replicas that share a host's network.
  bool reuse_port = false;
  std::string cert_file;
  std::string key_file;
  size_t max_body_bytes = 3 * 1024 * 1024;
  // Bounds the TLS handshake, a connection's first request, each request body and each response.
  std::chrono::milliseconds read_timeout = std::chrono::seconds(10);
  // How long a kept-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(90);
  int threads = 2;
  // When set (not owned; must outlive the server), every answer counts into
  // kernel_secrets_http_requests_total{path,code} and kernel_secrets_http_request_duration_seconds{path}.
  MetricsRegistry* metrics = nullptr;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // `method` is e.g. "GET" or "POST". Only before Start().
  void Route(std::string method, std::string path, HttpHandler handler);

  // Loads the certificate, binds and starts the I/O threads. A server starts once.
  Status Start();
  // Stops accepting, cuts open connections and joins the threads. Idempotent.
  void Stop();

  // The bound port, once started.
  uint16_t port() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ks::https
