// An HTTPS server for webhooks, probes and metrics on Boost.Beast: TLS 1.2 or newer (AEAD suites
// only) with the certificate reloaded when its files change, optional client-certificate
// authentication of callers, limits on concurrent connections, header and body sizes (413, 431),
// read and idle timeouts, keep-alive, an accept loop that waits out a lack of file descriptors, a
// pool of I/O threads that run the handlers that answer from memory, a bounded pool of workers for
// the handlers that may block, and a drain on stop. Routes are exact paths. Register
// routes before Start(). Start(), StartDraining() and Stop() are called from one controlling
// thread, never from a handler: they wait for the I/O threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/https/message.h"
#include "core/metrics/registry.h"

namespace ks::https {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 0;  // 0: an ephemeral port, see Server::port()
  // SO_REUSEPORT: other sockets of the same effective UID may listen on the same address and port,
  // and the kernel spreads new connections over them. For replicas that share a host's network.
  bool reuse_port = false;
  std::string cert_file{};
  std::string key_file{};
  // PEM bundle of the CAs that sign callers' client certificates, reloaded when it changes. Set: a
  // certificate a client presents must be one of them signed (else the handshake fails), and only
  // routes open to anyone (Access::kAnyone: the probes', /metrics) answer a client that presents
  // none; the others answer it 403, no handler running. Empty: no client certificate is asked for.
  std::string client_ca_file{};
  // Set (with client_ca_file): the subject CN or a DNS SAN of the caller's certificate must be one
  // of these, else its requests are answered as a client without a certificate.
  std::vector<std::string> client_names{};
  // Connections open at once. A connection accepted beyond it is closed at once, before its TLS
  // handshake: a flood then costs an accept and a close, not a handshake each.
  size_t max_connections = 256;
  // The request line and headers; beyond it, 431. The API server sends a few hundred bytes.
  uint32_t max_header_bytes = 8 * 1024;
  size_t max_body_bytes = 3 * 1024 * 1024;
  // Bounds the TLS handshake, a connection's first request, each request body and each response.
  std::chrono::milliseconds read_timeout = std::chrono::seconds(10);
  // How long a kept-alive connection may wait for its next request. Below the API server's own
  // (Go's IdleConnTimeout, 90 s), so that idle connections do not hold the connection limit long;
  // a Go client drops a connection the server closed and opens another for its next call.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(30);
  // How long a drain lets the connections open when it began finish before Stop() cuts them. Keep
  // it below the pod's terminationGracePeriodSeconds. 0: cut them at once.
  std::chrono::milliseconds drain_timeout = std::chrono::seconds(5);
  int threads = 2;
  // Workers for the handlers of Runs::kOnWorkers routes, started only when there is such a route.
  // Each runs one handler at a time; a request that finds them all busy is answered 503 at once
  // rather than queued, since a queued one could wait past its caller's timeout.
  int blocking_threads = 8;
  // When set (not owned; must outlive the server), every answer counts into
  // kernel_secrets_http_requests_total{path,code} and kernel_secrets_http_request_duration_seconds{path},
  // and every connection closed for the limit into kernel_secrets_http_connections_refused_total.
  metrics::Registry* metrics = nullptr;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();  // Stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Who a route answers when ServerOptions::client_ca_file is set: callers with a client
  // certificate of that CA (and names), or anyone, as the kubelet's probes, which present none.
  enum class Access { kCallers, kAnyone };

  // Where a route's handler runs. kInline: on the I/O thread that read the request, for handlers
  // that answer from memory (the fast path: no hand-over between threads). kOnWorkers: on one of
  // ServerOptions::blocking_threads, for handlers that may wait on I/O (a call to the API server),
  // so that a slow dependency holds up only the requests that need it, never the probes or the
  // other routes. Such a handler bounds its own wait, below its caller's timeout.
  enum class Runs { kInline, kOnWorkers };

  // `method` is e.g. "GET" or "POST". Only before Start(). A path has one Access and one Runs, the
  // last given.
  void Route(std::string method, std::string path, HttpHandler handler, Access access = Access::kCallers,
             Runs runs = Runs::kInline);

  // Loads the certificate, binds and starts the I/O threads. A server starts once.
  Status Start();
  // Begins a drain and returns once the listening socket is closed: from then on new connections
  // go to the port's other listeners (reuse_port) or are refused. Requests in flight finish, and
  // every answer carries `Connection: close`, so that a client's next request opens a new
  // connection. Connections idle between requests linger for a second (or drain_timeout, if
  // shorter) for their next request, in Stop(), and are closed then; the others once they are
  // answered. Apart from Stop(), so that a process stops taking connections first and does the rest
  // of its shutdown while the drain runs. Does nothing before Start() or once a drain has begun.
  void StartDraining();
  // Drains (StartDraining() unless it was called), waits until every connection has ended or
  // drain_timeout has passed since the drain began, then stops and joins the I/O threads (a handler
  // still running is waited for). The connections left get no further answer and close when the
  // server is destroyed. Returns how many were left: 0 when the drain finished. Idempotent; later
  // calls return 0.
  size_t Stop();

  // The bound port, once started.
  uint16_t port() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ks::https
