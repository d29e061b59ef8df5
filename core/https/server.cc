#include "core/https/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cassert>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/https/beast_message.h"
#include "core/https/router.h"
#include "core/https/tls_context.h"

namespace ks::https {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
// Every connection lives on one I/O thread's io_context from accept to close, so its handlers never
// run at the same time and need no strand; and its stream names that context's executor type
// rather than the type-erased any_io_executor, whose dispatch a profile of the injector under load
// put at a tenth of the server's CPU (docs/benchmarks.md).
using Executor = asio::io_context::executor_type;
using TcpStream = beast::basic_stream<tcp, Executor>;
using Socket = tcp::socket::rebind_executor<Executor>::other;
// Asio names SO_REUSEADDR but not SO_REUSEPORT.
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

class Session;

// The server's open connections, so that a drain can close the idle ones and wait for the others.
// Thread-safe: sessions come and go on the I/O threads.
class Connections {
 public:
  void Add(const std::shared_ptr<Session>& session) {
    const std::lock_guard lock(mutex_);
    sessions_.emplace(session.get(), session);
  }

  // From the session's destructor.
  void Remove(const Session* session) {
    const std::lock_guard lock(mutex_);
    sessions_.erase(session);
    if (sessions_.empty()) emptied_.notify_all();
  }

  size_t Count() {
    const std::lock_guard lock(mutex_);
    return sessions_.size();
  }

  // Closes the connections waiting for their next request (Session::CloseIfIdle).
  void CloseIdle();

  // How many are left when they all ended or `deadline` passed, whichever first.
  size_t WaitUntilEmpty(Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    emptied_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
    return sessions_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable emptied_;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;
};

// The workers of the routes that may block (Server::Runs::kOnWorkers). Thread-safe.
class BlockingHandlers {
 public:
  explicit BlockingHandlers(int threads) : pool_(threads), free_(threads) {}

  // Runs `work` on a free worker and returns true; false, without running it, when none is free.
  bool TryRun(std::function<void()> work) {
    int free = free_.load();
    do {
      if (free == 0) return false;
    } while (!free_.compare_exchange_weak(free, free - 1));
    asio::post(pool_, [this, work = std::move(work)] {
      work();
      ++free_;
    });
    return true;
  }

  // Waits for the handlers running; from Server::Stop(), once no new work can come.
  void Join() { pool_.join(); }

 private:
  asio::thread_pool pool_;
  std::atomic<int> free_;
};

// Everything a connection needs from its server, which owns it and outlives every session.
struct ServingState {
  const ServerOptions& options;
  const Router& router;
  const std::set<std::string>& open_paths;     // routes of Access::kAnyone
  const std::set<std::string>& blocking_paths;  // routes of Runs::kOnWorkers
  BlockingHandlers* blocking;                   // nullptr when there is no such route
  const std::atomic<bool>& draining;
  const std::atomic<bool>& closing_idle;  // set once a drain's linger has passed (Server::Impl::Stop)
  Connections& connections;
};

// One TLS connection: handshake, then requests one after another until the peer closes, a
// timeout fires, an answer closes the connection, or a drain finds it idle.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket&& socket, std::shared_ptr<asio::ssl::context> tls, ServingState state)
      : tls_(std::move(tls)), stream_(std::move(socket), *tls_), state_(state) {}

  ~Session() { state_.connections.Remove(this); }

  void Run() {
    state_.connections.Add(shared_from_this());
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::Handshake, shared_from_this()));
  }

  // For a drain: a connection waiting for its next request is closed now, since no request of its
  // is in flight, and the client will send the next one on a new connection. Any thread.
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      // Ends the pending read with operation_aborted, and OnReadError says goodbye.
      if (self->Idle()) self->Transport().cancel();
    });
  }

 private:
  void Handshake() {
    Transport().expires_after(state_.options.read_timeout);
    stream_.async_handshake(asio::ssl::stream_base::server,
                            beast::bind_front_handler(&Session::OnHandshake, shared_from_this()));
  }

  void OnHandshake(beast::error_code ec) {
    if (ec) {
      // Old TLS versions, scanners and plain-HTTP clients end here.
      spdlog::debug("TLS handshake failed: {}", ec.message());
      return;
    }
    caller_allowed_ = CallerAllowed();
    // Not idle even during a drain: a client that just connected is about to send its request.
    ReadHeader(state_.options.read_timeout);
  }

  // The handshake verified a certificate against the client CA, if one was presented; the names
  // narrow which of its holders may call. Logs no name: a certificate's names are the caller's.
  bool CallerAllowed() {
    if (state_.options.client_ca_file.empty()) return true;
    if (SSL_get0_peer_certificate(stream_.native_handle()) == nullptr) return false;
    const std::vector<std::string>& allowed = state_.options.client_names;
    if (allowed.empty()) return true;
    for (const std::string& name : PeerCertificateNames(stream_.native_handle())) {
      if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) return true;
    }
    spdlog::warn("refusing the requests of a caller whose client certificate names none of --client-names");
    return false;
  }

  // After an answer that kept the connection open.
  void AwaitNextRequest() {
    between_requests_ = true;
    // Found busy by the close of the idle connections, which came while the answer was written.
    if (state_.closing_idle && Idle()) return Shutdown();
    ReadHeader(state_.options.idle_timeout);
  }

  // Between requests and not a byte of the next one received. A request whose bytes are still on
  // their way is lost if the connection closes now; the client sees a closed idle connection.
  bool Idle() const { return between_requests_ && buffer_.size() == 0; }

  void ReadHeader(std::chrono::milliseconds timeout) {
    parser_.emplace();
    parser_->header_limit(state_.options.max_header_bytes);
    parser_->body_limit(state_.options.max_body_bytes);
    started_ = Clock::now();
    Transport().expires_after(timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t) {
    between_requests_ = false;
    if (ec) return OnReadError(ec);
    started_ = Clock::now();
    Transport().expires_after(state_.options.read_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnRequest, shared_from_this()));
  }

  void OnRequest(beast::error_code ec, size_t) {
    if (ec) return OnReadError(ec);
    auto& message = parser_->get();
    const bool keep_alive = message.keep_alive();
    HttpRequest request = ToHttpRequest(std::move(message));
    if (!caller_allowed_ && !state_.open_paths.contains(request.path)) {
      return Reply(HttpResponse::Text(403, "only the API server may call this route, with its client certificate\n"),
                   false);
    }
    if (state_.blocking_paths.contains(request.path)) return DispatchOnWorker(std::move(request), keep_alive);
    Reply(state_.router.Dispatch(request), keep_alive);
  }

  // The handler runs on a worker; its answer is written from this connection's I/O thread, as any is.
  // Until then the connection is busy, so a drain waits for the answer.
  void DispatchOnWorker(HttpRequest request, bool keep_alive) {
    const bool started =
        state_.blocking->TryRun([self = shared_from_this(), request = std::move(request), keep_alive] {
          HttpResponse response = self->state_.router.Dispatch(request);
          asio::post(self->stream_.get_executor(), [self, response = std::move(response), keep_alive]() mutable {
            self->Reply(std::move(response), keep_alive);
          });
        });
    if (!started) {
      Reply(HttpResponse::Text(503, "every worker of this route is busy waiting on a slow dependency; retry\n"),
            keep_alive);
    }
  }

  void OnReadError(beast::error_code ec) {
    // The peer closed, or a drain cancelled the read of an idle connection (CloseIfIdle).
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted) return Shutdown();
    // The rest of a refused request may still be on its way: it is read and dropped after the
    // answer (DiscardThenShutdown).
    if (ec == http::error::body_limit) {
      discard_before_close_ = true;
      return Reply(HttpResponse::Text(
                       413, "request body larger than " + std::to_string(state_.options.max_body_bytes) + " bytes\n"),
                   false);
    }
    if (ec == http::error::header_limit) {
      discard_before_close_ = true;
      return Reply(HttpResponse::Text(431, "request header larger than " +
                                               std::to_string(state_.options.max_header_bytes) + " bytes\n"),
                   false);
    }
    if (ec.category() == beast::http::make_error_code(http::error::bad_target).category()) {
      discard_before_close_ = true;
      return Reply(HttpResponse::Text(400, "malformed HTTP request\n"), false);
    }
    // A timeout or a transport error: there is no one left to answer.
  }

  void Reply(HttpResponse response, bool keep_alive) {
    // During a drain every answer closes its connection, so that the client's next request opens
    // a new one, which reaches another listener of the port.
    keep_alive = keep_alive && !state_.draining;
    RecordMetrics(response.status);
    response_ = ToBeastResponse(std::move(response), parser_->get().version(), keep_alive);
    Transport().expires_after(state_.options.read_timeout);
    http::async_write(stream_, response_, beast::bind_front_handler(&Session::OnWrite, shared_from_this(), keep_alive));
  }

  void OnWrite(bool keep_alive, beast::error_code ec, size_t) {
    if (ec) return;
    if (keep_alive) return AwaitNextRequest();
    if (discard_before_close_) {
      discard_until_ = Clock::now() + kDiscardTime;
      return DiscardThenShutdown();
    }
    Shutdown();
  }

  // Closing a connection that still has unread bytes makes the kernel send a reset, which can
  // reach the client before the answer it has not read yet: a client refused for a large body
  // would see "connection reset" instead of the 413. So what it still sends is read and dropped,
  // until it closes or for at most kDiscardTime and kDiscardBytes, and only then is the
  // connection closed.
  void DiscardThenShutdown() {
    Transport().expires_at(discard_until_);
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(kDiscardChunk), [self = shared_from_this()](beast::error_code ec, size_t n) {
      self->discarded_ += n;
      if (ec == beast::error::timeout) return;  // the stream closed itself
      if (ec || self->discarded_ >= kDiscardBytes) return self->Shutdown();
      self->DiscardThenShutdown();
    });
  }

  void Shutdown() {
    Transport().expires_after(state_.options.read_timeout);
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {});
  }

  // Unregistered paths share one label so that scanners cannot grow the metrics without bound.
  // The series of the last answer are kept: a connection of the API server calls one webhook's
  // path again and again, and finding a series by its labels costs more than the rest of this.
  void RecordMetrics(int status) {
    metrics::Registry* metrics = state_.options.metrics;
    if (metrics == nullptr) return;
    const beast::string_view target = parser_->get().target();
    const beast::string_view path = target.substr(0, target.find('?'));
    if (last_series_.requests == nullptr || path != last_series_.path || status != last_series_.status) {
      last_series_ = SeriesOf(*metrics, std::string(path), status);
    }
    last_series_.requests->Increment();
    const std::chrono::duration<double> elapsed = Clock::now() - started_;
    last_series_.duration->Observe(elapsed.count());
  }

  // The two series an answer counts into, and what they were found for.
  struct AnswerSeries {
    std::string path;  // as requested, before it is mapped to "unmatched"
    int status = 0;
    metrics::Counter* requests = nullptr;
    metrics::Histogram* duration = nullptr;
  };

  AnswerSeries SeriesOf(metrics::Registry& metrics, std::string path, int status) const {
    const std::string label = state_.router.HasPath(path) ? path : "unmatched";
    return {.path = std::move(path),
            .status = status,
            .requests = &metrics.GetCounter("kernel_secrets_http_requests_total",
                                            "HTTP requests answered, by path and status code.",
                                            {{"path", label}, {"code", std::to_string(status)}}),
            .duration = &metrics.GetHistogram("kernel_secrets_http_request_duration_seconds",
                                              "Time from a request's header to its answer.", {{"path", label}})};
  }

  TcpStream& Transport() { return beast::get_lowest_layer(stream_); }

  // Bounds of DiscardThenShutdown: room for the rest of a body several times the largest we take,
  // and a time that keeps a refused connection from holding its slot for long.
  static constexpr std::chrono::seconds kDiscardTime{2};
  static constexpr size_t kDiscardBytes = 64 * 1024 * 1024;
  static constexpr size_t kDiscardChunk = 16 * 1024;

  std::shared_ptr<asio::ssl::context> tls_;  // outlives stream_, which refers to it
  beast::ssl_stream<TcpStream> stream_;
  ServingState state_;
  beast::flat_buffer buffer_;
  bool discard_before_close_ = false;  // the answer refuses a request that was not read whole
  Clock::time_point discard_until_;
  size_t discarded_ = 0;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  Clock::time_point started_ = Clock::now();
  AnswerSeries last_series_;
  bool between_requests_ = false;
  bool caller_allowed_ = false;
};

void Connections::CloseIdle() {
  std::vector<std::shared_ptr<Session>> open;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [key, session] : sessions_) {
      if (auto alive = session.lock()) open.push_back(std::move(alive));
    }
  }
  // Outside the lock: dropping the last reference runs ~Session, which takes it.
  for (const auto& session : open) session->CloseIfIdle();
}

}  // namespace

class Server::Impl {
 public:
  // The acceptor lives on the first I/O thread, so a drain's close, posted there, never runs beside
  // an accept's handler.
  explicit Impl(ServerOptions options)
      : options_(std::move(options)),
        io_threads_(MakeIoContexts(options_.threads)),
        acceptor_(io_threads_.front()->get_executor()),
        accept_retry_(acceptor_.get_executor()) {}

  ~Impl() { Stop(); }

  void Route(std::string method, std::string path, HttpHandler handler, Server::Access access, Server::Runs runs) {
    assert(!started_ && "routes are registered before Start()");
    Mark(open_paths_, path, access == Server::Access::kAnyone);
    Mark(blocking_paths_, path, runs == Server::Runs::kOnWorkers);
    router_.Add(std::move(method), std::move(path), std::move(handler));
  }

  Status Start() {
    assert(!started_ && "a server starts once");
    if (options_.threads < 1) return InvalidArgument("a server needs at least one thread");
    if (!blocking_paths_.empty() && options_.blocking_threads < 1) {
      return InvalidArgument("routes that may block need at least one blocking thread");
    }
    if (!options_.client_names.empty() && options_.client_ca_file.empty()) {
      return InvalidArgument("client names are checked only with a client CA");
    }
    auto tls = ReloadingTlsContext::Load(
        {.cert_file = options_.cert_file, .key_file = options_.key_file, .client_ca_file = options_.client_ca_file});
    if (!tls.ok()) return tls.status();
    tls_ = std::move(tls).value();
    KS_RETURN_IF_ERROR(Listen());
    if (options_.metrics != nullptr) {
      refused_ = &options_.metrics->GetCounter("kernel_secrets_http_connections_refused_total",
                                               "Connections closed at once because --max-connections were open.");
      ExposeCertificateExpiry(*options_.metrics);
    }
    if (!blocking_paths_.empty()) blocking_.emplace(options_.blocking_threads);
    started_ = true;
    Accept();
    for (const auto& io : io_threads_) {
      // Until Stop(): an io_context without a connection would otherwise return from run() at once.
      keep_running_.push_back(asio::make_work_guard(*io));
      threads_.emplace_back([&io = *io] { io.run(); });
    }
    spdlog::info("serving HTTPS on {}:{}", options_.bind_address, port_);
    return Status::Ok();
  }

  void StartDraining() {
    if (!started_ || draining_) return;
    drain_started_ = Clock::now();
    drain_deadline_ = drain_started_ + options_.drain_timeout;
    draining_ = true;  // before the acceptor closes: a connection accepted until then is drained too
    // On the acceptor's thread, so this waits until no handler holds that thread.
    std::promise<void> closed;
    asio::post(acceptor_.get_executor(), [this, &closed] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      accept_retry_.cancel();
      // Queued behind an accept that completed just before the close, whose session is then counted.
      asio::post(acceptor_.get_executor(), [&closed] { closed.set_value(); });
    });
    closed.get_future().wait();
    spdlog::info("draining HTTPS on {}:{}: no longer accepting connections", options_.bind_address, port_);
  }

  size_t Stop() {
    if (!started_ || stopped_) return 0;
    StartDraining();
    // Idle connections linger first: closing one races the request its client may be sending on it
    // right then, which is lost (Go does not retry a POST), while a request that arrives in time is
    // answered with `Connection: close` and loses nothing
    // (docs/decisions/2026-12-02-drain-lingers-for-idle-connections.md).
    connections_.WaitUntilEmpty(std::min(drain_started_ + kIdleLinger, drain_deadline_));
    closing_idle_ = true;
    connections_.CloseIdle();
    const size_t cut = connections_.WaitUntilEmpty(drain_deadline_);
    if (cut > 0) {
      spdlog::warn("drain deadline passed, cutting {} open connection(s)", cut);
    } else {
      spdlog::info("drained: every connection ended");
    }
    for (const auto& io : io_threads_) io->stop();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
    // After the I/O threads: a worker's answer posted to them now is dropped with its connection.
    if (blocking_) blocking_->Join();
    stopped_ = true;
    return cut;
  }

  uint16_t port() const { return port_; }

 private:
  // Records whether `path` is one of `paths` (a route's Access or Runs: the last one given counts).
  static void Mark(std::set<std::string>& paths, const std::string& path, bool member) {
    if (member) {
      paths.insert(path);
    } else {
      paths.erase(path);
    }
  }

  Status Listen() {
    beast::error_code ec;
    const auto address = asio::ip::make_address(options_.bind_address, ec);
    if (ec) return InvalidArgument("bind address " + options_.bind_address + " is not an IP address");
    const tcp::endpoint endpoint(address, options_.port);
    const std::string where = options_.bind_address + ":" + std::to_string(options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    // Before bind: the kernel decides at bind time whether the port may be shared.
    if (!ec && options_.reuse_port) acceptor_.set_option(ReusePort(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec == asio::error::address_in_use && !options_.reuse_port) {
      return Unavailable("cannot listen on " + where + ": " + ec.message() +
                         " (replicas that share a host's network and port need --reuse-port true)");
    }
    if (ec) return Unavailable("cannot listen on " + where + ": " + ec.message());
    port_ = acceptor_.local_endpoint().port();
    return Status::Ok();
  }

  // The handler runs on the acceptor's thread, and so does the close of a drain. Connections go to
  // the I/O threads in turn.
  void Accept() {
    asio::io_context& io = *io_threads_[next_io_thread_++ % io_threads_.size()];
    acceptor_.async_accept(io, [this](beast::error_code ec, Socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
      if (IsOutOfResources(ec)) return RetryAcceptLater(ec);
      accept_backoff_ = kMinAcceptBackoff;
      if (ec) {
        spdlog::warn("accept failed: {}", ec.message());
      } else {
        Admit(std::move(socket));
      }
      Accept();
    });
  }

  static bool IsOutOfResources(beast::error_code ec) {
    return ec == asio::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
           ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
  }

  // The connection stays in the listen backlog, and an accept now would fail at once again: the
  // loop would spin on a core. Waits instead, longer each time, until some descriptor is free.
  void RetryAcceptLater(beast::error_code ec) {
    spdlog::warn("accept failed: {}; retrying in {} ms", ec.message(), accept_backoff_.count());
    accept_retry_.expires_after(accept_backoff_);
    accept_backoff_ = std::min(2 * accept_backoff_, kMaxAcceptBackoff);
    accept_retry_.async_wait([this](beast::error_code waited) {
      if (!waited && acceptor_.is_open()) Accept();
    });
  }

  void Admit(Socket socket) {
    if (connections_.Count() >= options_.max_connections) return Refuse(std::move(socket));
    const ServingState state{options_,       router_,   open_paths_, blocking_paths_, blocking_ ? &*blocking_ : nullptr,
                             draining_,      closing_idle_, connections_};
    std::make_shared<Session>(std::move(socket), tls_->Current(), state)->Run();
  }

  // Closed before any TLS, so that the client sees its connection end at once. Logged at most
  // every kRefusalLogInterval, with the count since: a flood must not flood the log too.
  void Refuse(Socket socket) {
    beast::error_code ignored;
    socket.close(ignored);
    if (refused_ != nullptr) refused_->Increment();
    ++refused_since_log_;
    const auto now = Clock::now();
    if (now - last_refusal_log_ < kRefusalLogInterval) return;
    spdlog::warn("refused {} connection(s): {} are open, the limit (--max-connections)", refused_since_log_,
                 options_.max_connections);
    refused_since_log_ = 0;
    last_refusal_log_ = now;
  }

  // At each scrape, so that a rotated certificate shows before any new connection used it.
  void ExposeCertificateExpiry(metrics::Registry& metrics) {
    metrics::Gauge& expiry = metrics.GetGauge(
        "kernel_secrets_serving_certificate_expiry_timestamp_seconds",
        "When the HTTPS serving certificate in use expires (its notAfter), in seconds since the Unix epoch.");
    certificate_expiry_ = metrics.OnScrape([this, &expiry] { expiry.Set(static_cast<double>(tls_->CertificateNotAfter())); });
  }

  static constexpr std::chrono::milliseconds kMinAcceptBackoff{10};
  static constexpr std::chrono::milliseconds kMaxAcceptBackoff{1000};
  static constexpr std::chrono::seconds kRefusalLogInterval{10};

  const ServerOptions options_;
  Router router_;
  std::set<std::string> open_paths_;      // routes of Server::Access::kAnyone
  std::set<std::string> blocking_paths_;  // routes of Server::Runs::kOnWorkers
  std::unique_ptr<ReloadingTlsContext> tls_;
  metrics::ScrapeHook certificate_expiry_;  // after tls_, which it reads
  // One io_context per I/O thread (a hint of 1 each: one thread runs it). A socket constructed on
  // each makes its reactor (an epoll and an eventfd descriptor) at start: made by the first
  // connection accepted onto it, it could fail for want of descriptors and throw out of the accept
  // loop, which otherwise waits such a lack out.
  static std::vector<std::unique_ptr<asio::io_context>> MakeIoContexts(int threads) {
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    for (int i = 0; i < std::max(1, threads); ++i) {
      contexts.push_back(std::make_unique<asio::io_context>(1));
      Socket reactor_maker(*contexts.back());
    }
    return contexts;
  }

  // Before io_threads_: the sessions they still hold when destroyed remove themselves from it.
  Connections connections_;
  std::atomic<bool> draining_ = false;
  std::atomic<bool> closing_idle_ = false;
  std::vector<std::unique_ptr<asio::io_context>> io_threads_;
  std::vector<asio::executor_work_guard<Executor>> keep_running_;
  // After io_threads_, so destroyed before them: work they still hold refers to their sessions.
  std::optional<BlockingHandlers> blocking_;
  tcp::acceptor acceptor_;
  // On the acceptor's thread, as are the members below it.
  asio::steady_timer accept_retry_;
  std::chrono::milliseconds accept_backoff_ = kMinAcceptBackoff;
  size_t next_io_thread_ = 0;
  metrics::Counter* refused_ = nullptr;
  size_t refused_since_log_ = 0;
  Clock::time_point last_refusal_log_{};
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  bool started_ = false;
  bool stopped_ = false;
  // How long a drain keeps the connections idle when it began open for their next request. Long
  // enough for a client that sends a request every second to send one, which is answered and ends
  // the connection; a client that sends none in that time has other connections it prefers (Go's
  // pool hands out the one used last), so closing this one rarely meets a request.
  static constexpr std::chrono::seconds kIdleLinger{1};
  Clock::time_point drain_started_;
  Clock::time_point drain_deadline_;
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Server::~Server() = default;

void Server::Route(std::string method, std::string path, HttpHandler handler, Access access, Runs runs) {
  impl_->Route(std::move(method), std::move(path), std::move(handler), access, runs);
}

Status Server::Start() { return impl_->Start(); }
void Server::StartDraining() { impl_->StartDraining(); }
size_t Server::Stop() { return impl_->Stop(); }
uint16_t Server::port() const { return impl_->port(); }

}  // namespace ks::https
