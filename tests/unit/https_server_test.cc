// The HTTPS server over real TLS on 127.0.0.1, with certificates made here by OpenSSL.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "core/https/server.h"
#include "core/https/standard_routes.h"
#include "core/https/tls_context.h"

namespace ks::https {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;

// How long a test waits for something that should happen at once: a guard against hanging, not a
// measurement.
constexpr std::chrono::seconds kHangGuard{30};

struct PemPair {
  std::string certificate;
  std::string key;
};

template <typename T, void (*Free)(T*)>
using OpenSslPtr = std::unique_ptr<T, std::integral_constant<decltype(Free), Free>>;

OpenSslPtr<BIO, BIO_free_all> ReadBio(const std::string& pem) {
  return OpenSslPtr<BIO, BIO_free_all>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

OpenSslPtr<X509, X509_free> ReadCertificate(const std::string& pem) {
  return OpenSslPtr<X509, X509_free>(PEM_read_bio_X509(ReadBio(pem).get(), nullptr, nullptr, nullptr));
}

OpenSslPtr<EVP_PKEY, EVP_PKEY_free> ReadKey(const std::string& pem) {
  return OpenSslPtr<EVP_PKEY, EVP_PKEY_free>(PEM_read_bio_PrivateKey(ReadBio(pem).get(), nullptr, nullptr, nullptr));
}

void AddExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free> extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
  if (!extension || X509_add_ext(cert, extension.get(), -1) == 0) throw std::runtime_error("X509_add_ext failed");
}

struct CertificateSpec {
  std::string common_name;
  std::vector<std::string> dns_names{};  // subject alternative names
  const PemPair* issuer = nullptr;       // nullptr: self-signed
  bool is_ca = false;
};

// A P-256 certificate whose subject CN is `common_name`, so a client can tell which certificate
// the server presented.
PemPair IssueCertificate(const CertificateSpec& spec) {
  OpenSslPtr<EVP_PKEY, EVP_PKEY_free> key(EVP_EC_gen("P-256"));
  OpenSslPtr<X509, X509_free> cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(spec.common_name.c_str()),
                             -1, -1, 0);
  if (spec.is_ca) AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  std::string alternatives;
  for (const std::string& dns : spec.dns_names) alternatives += (alternatives.empty() ? "DNS:" : ",DNS:") + dns;
  if (!alternatives.empty()) AddExtension(cert.get(), NID_subject_alt_name, alternatives);
  OpenSslPtr<X509, X509_free> issuer_cert = spec.issuer ? ReadCertificate(spec.issuer->certificate) : nullptr;
  OpenSslPtr<EVP_PKEY, EVP_PKEY_free> issuer_key = spec.issuer ? ReadKey(spec.issuer->key) : nullptr;
  X509_set_issuer_name(cert.get(), issuer_cert ? X509_get_subject_name(issuer_cert.get()) : name);
  if (X509_sign(cert.get(), issuer_key ? issuer_key.get() : key.get(), EVP_sha256()) == 0) {
    throw std::runtime_error("X509_sign failed");
  }

  auto to_pem = [](auto write) {
    OpenSslPtr<BIO, BIO_free_all> bio(BIO_new(BIO_s_mem()));
    write(bio.get());
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, size);
  };
  return {.certificate = to_pem([&](BIO* bio) { PEM_write_bio_X509(bio, cert.get()); }),
          .key = to_pem(
              [&](BIO* bio) { PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr); })};
}

PemPair MakeCertificate(const std::string& common_name) { return IssueCertificate({.common_name = common_name}); }

// Replaces `path` as a Kubernetes Secret volume does: a new file renamed over the old one.
void ReplaceFile(const fs::path& path, const std::string& content) {
  const fs::path staging = path.string() + ".new";
  std::ofstream(staging, std::ios::binary) << content;
  fs::rename(staging, path);
}

http::request<http::string_body> Request(http::verb method, const std::string& target, std::string body = "") {
  http::request<http::string_body> request(method, target, 11);
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  request.body() = std::move(body);
  request.prepare_payload();
  return request;
}

// A blocking TLS client. It does not verify the server: the tests look at which certificate is
// presented, not at trust.
class TlsClient {
 public:
  // `max_version` 0 lets OpenSSL choose; TLS1_1_VERSION makes an old client (security level 0,
  // since OpenSSL 3 refuses TLS 1.1 on its own otherwise).
  explicit TlsClient(uint16_t port, int max_version = 0) : tls_(asio::ssl::context::tls_client), stream_(io_, tls_) {
    stream_.set_verify_mode(asio::ssl::verify_none);
    if (max_version != 0) {
      SSL_set_security_level(stream_.native_handle(), 0);
      SSL_set_min_proto_version(stream_.native_handle(), TLS1_VERSION);
      SSL_set_max_proto_version(stream_.native_handle(), max_version);
    }
    stream_.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
  }

  // The certificate to present when the server asks for one. Before Handshake().
  void PresentCertificate(const PemPair& pem) {
    SSL_use_certificate(stream_.native_handle(), ReadCertificate(pem.certificate).get());
    SSL_use_PrivateKey(stream_.native_handle(), ReadKey(pem.key).get());
  }

  // OpenSSL's list of TLS 1.2 suites to offer, e.g. "ECDHE-ECDSA-AES128-SHA". Before Handshake().
  void OfferOnly(const char* tls12_ciphers) {
    SSL_set_max_proto_version(stream_.native_handle(), TLS1_2_VERSION);
    SSL_set_cipher_list(stream_.native_handle(), tls12_ciphers);
  }

  beast::error_code Handshake() {
    beast::error_code ec;
    stream_.handshake(asio::ssl::stream_base::client, ec);
    return ec;
  }

  http::response<http::string_body> Send(const http::request<http::string_body>& request) {
    Write(request);
    http::response<http::string_body> response;
    http::read(stream_, buffer_, response);
    return response;
  }

  void Write(const http::request<http::string_body>& request) { http::write(stream_, request); }
  // Write, returning the error instead of throwing it.
  beast::error_code TryWrite(const http::request<http::string_body>& request) {
    beast::error_code ec;
    http::write(stream_, request, ec);
    return ec;
  }

  // The next response, or nullopt when none (or a broken one) came within `bound`.
  std::optional<http::response<http::string_body>> Receive(std::chrono::seconds bound) {
    http::response<http::string_body> response;
    std::optional<beast::error_code> result;
    http::async_read(stream_, buffer_, response, [&](beast::error_code ec, size_t) { result = ec; });
    RunWithin(bound, result);
    if (result != beast::error_code()) return std::nullopt;
    return response;
  }

  std::string PeerCommonName() {
    std::unique_ptr<X509, decltype(&X509_free)> peer(SSL_get1_peer_certificate(stream_.native_handle()), X509_free);
    if (!peer) return "";
    char name[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(peer.get()), NID_commonName, name, sizeof name);
    return name;
  }

  // Waits for the server to close the connection; gives up (false) after `bound`, which is a
  // guard against hanging, not a measurement.
  bool ClosedByServer(std::chrono::seconds bound) {
    std::optional<beast::error_code> result;
    stream_.async_read_some(asio::buffer(byte_, 1), [&](beast::error_code ec, size_t) { result = ec; });
    RunWithin(bound, result);
    return result.has_value() && *result != beast::error_code() && *result != asio::error::operation_aborted;
  }

  // Closes the TCP connection, as a client does once the server said goodbye.
  void Close() { stream_.next_layer().close(); }

  int NegotiatedVersion() { return SSL_version(stream_.native_handle()); }

 private:
  // Runs the operation just started until `result` is set or `bound` passed. Then it cancels
  // whatever is left, so that no handler outlives the caller's locals it refers to.
  void RunWithin(std::chrono::seconds bound, const std::optional<beast::error_code>& result) {
    io_.restart();
    io_.run_for(bound);
    if (result) return;
    stream_.next_layer().cancel();
    io_.restart();
    io_.run();
  }

  asio::io_context io_;
  asio::ssl::context tls_;
  asio::ssl::stream<asio::ip::tcp::socket> stream_;
  beast::flat_buffer buffer_;
  char byte_[1];
};

// Holds the handlers of GET /blocking until Release(), so that a test can begin a drain while a
// request is in flight, or keep workers busy. On the workers, the held handler leaves the I/O
// threads free: one held on the acceptor's thread would hold up StartDraining() until its release.
class Gate {
 public:
  // The answer's body: large enough to take many TLS records, so that a cut answer shows.
  static std::string Body() { return std::string(256 * 1024, 'h'); }

  HttpResponse Hold() {
    std::unique_lock lock(mutex_);
    ++held_;
    changed_.notify_all();
    changed_.wait_for(lock, kHangGuard, [this] { return released_; });
    return HttpResponse::Text(200, Body());
  }

  // Until `count` handlers are held at once.
  bool WaitUntilHeld(int count = 1) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kHangGuard, [this, count] { return held_ >= count; });
  }

  void Release() {
    const std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int held_ = 0;
  bool released_ = false;
};

class HttpsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/ks-https-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    InstallCertificate("first");
  }

  void TearDown() override {
    gate_.Release();  // a test that failed half-way must not leave its handler holding a thread
    if (server_) server_->Stop();
    fs::remove_all(dir_);
  }

  void InstallCertificate(const std::string& common_name) {
    const PemPair pem = MakeCertificate(common_name);
    ReplaceFile(CertFile(), pem.certificate);
    ReplaceFile(KeyFile(), pem.key);
  }

  fs::path CertFile() const { return dir_ / "tls.crt"; }
  fs::path KeyFile() const { return dir_ / "tls.key"; }

  // A second server, as another replica would be, on `port` with a certificate of its own whose CN is
  // `common_name`; it serves the standard routes. Not started.
  std::unique_ptr<Server> Replica(const std::string& common_name, uint16_t port, bool reuse_port) {
    const fs::path dir = dir_ / common_name;
    fs::create_directories(dir);
    const PemPair pem = MakeCertificate(common_name);
    ReplaceFile(dir / "tls.crt", pem.certificate);
    ReplaceFile(dir / "tls.key", pem.key);
    auto replica = std::make_unique<Server>(ServerOptions{
        .port = port, .reuse_port = reuse_port, .cert_file = dir / "tls.crt", .key_file = dir / "tls.key"});
    AddStandardRoutes(
        *replica, [] { return true; }, replica_metrics_);
    return replica;
  }

  // Serves POST /echo (the body back), GET /throws and GET /blocking (gate_, on the workers), plus
  // the standard routes.
  void Start(ServerOptions options = {}) {
    options.cert_file = CertFile();
    options.key_file = KeyFile();
    options.port = 0;
    options.metrics = &metrics_;
    server_ = std::make_unique<Server>(options);
    server_->Route("POST", "/echo", [](const HttpRequest& request) { return HttpResponse::Text(200, request.body); });
    server_->Route("GET", "/throws", [](const HttpRequest&) -> HttpResponse {
      throw std::runtime_error("the exception text quotes 5ecret-v4lue");
    });
    server_->Route(
        "GET", "/blocking", [this](const HttpRequest&) { return gate_.Hold(); }, Server::Access::kCallers,
        Server::Runs::kOnWorkers);
    AddStandardRoutes(
        *server_, [this] { return ready_.load(); }, metrics_);
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_NE(server_->port(), 0);
  }

  http::response<http::string_body> Send(const http::request<http::string_body>& request) {
    TlsClient client(server_->port());
    EXPECT_FALSE(client.Handshake());
    return client.Send(request);
  }

  unsigned SendBlocking() { return Send(Request(http::verb::get, "/blocking")).result_int(); }

  // Begins a drain, then sends `body` to /echo on `client`, which must come back whole with
  // `Connection: close`; the server then ends the connection, and its drain with nothing cut.
  void ExpectADrainToAnswerWithClose(TlsClient& client, const std::string& body) {
    server_->StartDraining();
    client.Write(Request(http::verb::post, "/echo", body));
    const auto response = client.Receive(kHangGuard);
    ASSERT_TRUE(response.has_value()) << "the drain closed the connection under its next request";
    EXPECT_EQ(response->body(), body);
    EXPECT_FALSE(response->keep_alive());
    EXPECT_TRUE(client.ClosedByServer(kHangGuard));
    client.Close();
    EXPECT_EQ(server_->Stop(), 0u);
  }

  std::string ServedCommonName() {
    TlsClient client(server_->port());
    EXPECT_FALSE(client.Handshake());
    return client.PeerCommonName();
  }

  fs::path dir_;
  metrics::Registry metrics_;
  metrics::Registry replica_metrics_;
  std::atomic<bool> ready_{false};
  Gate gate_;
  std::unique_ptr<Server> server_;
};

// A drain whose deadline is a guard against hanging: Stop() returning 0 (nothing cut) then means
// that every connection ended by itself.
ServerOptions WithDrainGuard() {
  ServerOptions options;
  options.drain_timeout = 2 * kHangGuard;
  return options;
}

// The answer to GET /blocking, whole, and with `Connection: close`.
void ExpectWholeAnswerThatCloses(const std::optional<http::response<http::string_body>>& response) {
  ASSERT_TRUE(response.has_value()) << "no answer, or a cut one";
  EXPECT_EQ(response->result_int(), 200);
  EXPECT_EQ(response->body(), Gate::Body());
  EXPECT_FALSE(response->keep_alive());
  EXPECT_EQ((*response)[http::field::connection].to_string(), "close");
}

TEST_F(HttpsServerTest, AnswersWithTheHandlersResponse) {
  Start();
  auto response = Send(Request(http::verb::post, "/echo", R"({"hello":"world"})"));
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), R"({"hello":"world"})");
}

TEST_F(HttpsServerTest, KeepsTheConnectionAliveAcrossRequests) {
  Start();
  TlsClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  EXPECT_EQ(client.Send(Request(http::verb::post, "/echo", "one")).body(), "one");
  EXPECT_EQ(client.Send(Request(http::verb::post, "/echo", "two")).body(), "two");
}

TEST_F(HttpsServerTest, UnknownPathIs404AndWrongMethodIs405) {
  Start();
  EXPECT_EQ(Send(Request(http::verb::get, "/nowhere")).result_int(), 404);
  auto wrong_method = Send(Request(http::verb::get, "/echo"));
  EXPECT_EQ(wrong_method.result_int(), 405);
  EXPECT_EQ(wrong_method[http::field::allow].to_string(), "POST");
}

TEST_F(HttpsServerTest, BodyAtTheCapIsServedAndOneByteMoreIs413) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  Start(options);
  EXPECT_EQ(Send(Request(http::verb::post, "/echo", std::string(1024, 'x'))).result_int(), 200);
  EXPECT_EQ(Send(Request(http::verb::post, "/echo", std::string(1025, 'x'))).result_int(), 413);
}

// The server answers 413 after the first KiB while the client is still sending the rest. Were the
// connection closed with those bytes unread, the kernel's reset could discard the answer before
// the client reads it.
TEST_F(HttpsServerTest, AClientStillSendingAnOversizedBodyReadsThe413) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  Start(options);
  for (int attempt = 0; attempt < 5; ++attempt) {
    TlsClient client(server_->port());
    ASSERT_FALSE(client.Handshake());
    EXPECT_FALSE(client.TryWrite(Request(http::verb::post, "/echo", std::string(8 * 1024 * 1024, 'x'))))
        << "the server stopped reading the body it refused";
    const auto answer = client.Receive(kHangGuard);
    ASSERT_TRUE(answer.has_value()) << "attempt " << attempt << ": the answer was lost";
    EXPECT_EQ(answer->result_int(), 413);
  }
}

TEST_F(HttpsServerTest, ThrowingHandlerIs500WithoutTheExceptionText) {
  Start();
  auto response = Send(Request(http::verb::get, "/throws"));
  EXPECT_EQ(response.result_int(), 500);
  EXPECT_EQ(response.body().find("5ecret-v4lue"), std::string::npos);
}

TEST_F(HttpsServerTest, RefusesTls11) {
  Start();
  TlsClient old_client(server_->port(), TLS1_1_VERSION);
  EXPECT_TRUE(old_client.Handshake());

  TlsClient tls12_client(server_->port(), TLS1_2_VERSION);
  ASSERT_FALSE(tls12_client.Handshake());
  EXPECT_EQ(tls12_client.NegotiatedVersion(), TLS1_2_VERSION);
}

// OpenSSL 3 at its default security level already refuses TLS 1.1, which RefusesTls11 cannot tell
// apart from our own floor; a system openssl.cnf may lower that level, our floor stays.
TEST_F(HttpsServerTest, TlsContextSetsTls12AsItsOwnFloor) {
  auto tls = ReloadingTlsContext::Load({.cert_file = CertFile(), .key_file = KeyFile()});
  ASSERT_TRUE(tls.ok()) << tls.status().ToString();
  EXPECT_EQ(SSL_CTX_get_min_proto_version((*tls)->Current()->native_handle()), TLS1_2_VERSION);
}

TEST_F(HttpsServerTest, ServesARotatedCertificateToNewConnections) {
  Start();
  EXPECT_EQ(ServedCommonName(), "first");
  InstallCertificate("second");
  EXPECT_EQ(ServedCommonName(), "second");
}

TEST_F(HttpsServerTest, KeepsTheLastGoodCertificateWhenTheNewOneIsBroken) {
  Start();
  ReplaceFile(CertFile(), "not a certificate");
  EXPECT_EQ(ServedCommonName(), "first");
  // A key that does not match the certificate is just as broken.
  ReplaceFile(CertFile(), MakeCertificate("mismatched").certificate);
  EXPECT_EQ(ServedCommonName(), "first");
}

TEST_F(HttpsServerTest, StartFailsWithoutAUsableCertificate) {
  ReplaceFile(KeyFile(), "not a key");
  Server server({.cert_file = CertFile(), .key_file = KeyFile()});
  Status started = server.Start();
  EXPECT_EQ(started.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(started.message().find("tls.key"), std::string::npos) << started.message();
}

// Two replicas on one host network: with SO_REUSEPORT both listen on one port and the kernel hands
// each new connection to one of them (by a hash of its addresses and ports, so a few dozen
// connections from fresh client ports reach both). Each presents its own certificate, which tells
// them apart; when one stops, the other takes every connection.
TEST_F(HttpsServerTest, WithReusePortTwoServersShareAPortAndBothAnswer) {
  ServerOptions options;
  options.reuse_port = true;
  Start(options);
  std::unique_ptr<Server> second = Replica("second", server_->port(), true);
  const Status started = second->Start();
  ASSERT_TRUE(started.ok()) << started.ToString();
  EXPECT_EQ(second->port(), server_->port());

  std::set<std::string> answered_by;
  for (int i = 0; i < 200 && answered_by.size() < 2; ++i) {
    TlsClient client(server_->port());
    ASSERT_FALSE(client.Handshake());
    answered_by.insert(client.PeerCommonName());
    EXPECT_EQ(client.Send(Request(http::verb::get, "/healthz")).result_int(), 200);
  }
  EXPECT_EQ(answered_by, (std::set<std::string>{"first", "second"}));

  server_->Stop();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(ServedCommonName(), "second");
}

// Sharing takes both sides: a port held without SO_REUSEPORT cannot be joined with it, nor the
// other way round, and the error says what would have let it.
TEST_F(HttpsServerTest, WithoutReusePortASecondServerOnThePortFailsToStart) {
  for (const auto& [first_reuses, second_reuses] : {std::pair{false, false}, {false, true}, {true, false}}) {
    ServerOptions options;
    options.reuse_port = first_reuses;
    Start(options);
    std::unique_ptr<Server> second = Replica("second", server_->port(), second_reuses);
    const Status started = second->Start();
    EXPECT_EQ(started.code(), StatusCode::kUnavailable) << first_reuses << second_reuses;
    EXPECT_NE(started.message().find("127.0.0.1:" + std::to_string(server_->port())), std::string::npos)
        << started.message();
    EXPECT_NE(started.message().find("Address already in use"), std::string::npos) << started.message();
    if (!second_reuses) {
      EXPECT_NE(started.message().find("--reuse-port true"), std::string::npos) << started.message();
    }
    EXPECT_EQ(ServedCommonName(), "first");
    server_->Stop();
  }
}

TEST_F(HttpsServerTest, ClosesASilentConnectionAfterTheReadTimeout) {
  ServerOptions options;
  options.read_timeout = std::chrono::milliseconds(50);
  Start(options);
  TlsClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  EXPECT_TRUE(client.ClosedByServer(std::chrono::seconds(60)));
}

TEST_F(HttpsServerTest, ClosesAnIdleKeptAliveConnectionAfterTheIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(50);
  Start(options);
  TlsClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  EXPECT_EQ(client.Send(Request(http::verb::post, "/echo", "one")).result_int(), 200);
  EXPECT_TRUE(client.ClosedByServer(std::chrono::seconds(60)));
}

TEST_F(HttpsServerTest, ReadyzFollowsTheReadinessCallback) {
  Start();
  EXPECT_EQ(Send(Request(http::verb::get, "/healthz")).result_int(), 200);
  EXPECT_EQ(Send(Request(http::verb::get, "/readyz")).result_int(), 503);
  ready_ = true;
  EXPECT_EQ(Send(Request(http::verb::get, "/readyz")).result_int(), 200);
}

TEST_F(HttpsServerTest, MetricsCountAnswersByRouteAndCode) {
  Start();
  Send(Request(http::verb::post, "/echo", "x"));
  Send(Request(http::verb::get, "/scanner/probe"));
  auto response = Send(Request(http::verb::get, "/metrics"));
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response[http::field::content_type].to_string(), metrics::kExpositionContentType);
  EXPECT_NE(response.body().find(R"(kernel_secrets_http_requests_total{code="200",path="/echo"} 1)"), std::string::npos)
      << response.body();
  EXPECT_NE(response.body().find(R"(kernel_secrets_http_requests_total{code="404",path="unmatched"} 1)"),
            std::string::npos);
  EXPECT_NE(response.body().find(R"(kernel_secrets_http_request_duration_seconds_count{path="/echo"} 1)"),
            std::string::npos);
}

// Drains. On a shared port (reuse_port) a stopping replica must not fail calls that reached it:
// the API server does not retry a webhook call on a connection closed under it.

// The status of the answer to `request` on a new connection, or nullopt when none came within
// kHangGuard; then `gate` is released, so that the request still waiting can end.
std::optional<unsigned> StatusWithinHangGuard(uint16_t port, http::request<http::string_body> request, Gate& gate) {
  auto answered = std::async(std::launch::async, [port, request = std::move(request)]() -> unsigned {
    TlsClient client(port);
    if (client.Handshake()) return 0;
    return client.Send(request).result_int();
  });
  if (answered.wait_for(kHangGuard) == std::future_status::ready) return answered.get();
  gate.Release();
  answered.wait();
  return std::nullopt;
}

// Handlers that wait on a slow API server run on the workers: with as many of them waiting as the
// server has I/O threads, the probes and the other routes still answer.
TEST_F(HttpsServerTest, HandlersThatMayBlockLeaveTheProbesAndOtherRoutesAnswering) {
  ServerOptions options;
  options.threads = 2;
  options.blocking_threads = 2;
  Start(options);
  std::vector<std::future<unsigned>> blocked;
  for (int i = 0; i < 2; ++i) {
    blocked.push_back(std::async(std::launch::async, [this] { return SendBlocking(); }));
  }
  ASSERT_TRUE(gate_.WaitUntilHeld(2));

  EXPECT_EQ(StatusWithinHangGuard(server_->port(), Request(http::verb::get, "/healthz"), gate_), 200u);
  EXPECT_EQ(StatusWithinHangGuard(server_->port(), Request(http::verb::post, "/echo", "{}"), gate_), 200u);

  gate_.Release();
  for (auto& answer : blocked) EXPECT_EQ(answer.get(), 200u);
}

// A request that finds every worker busy is refused at once instead of waiting behind them past
// its caller's timeout.
TEST_F(HttpsServerTest, ABlockingRouteWithEveryWorkerBusyIs503AtOnce) {
  ServerOptions options;
  options.blocking_threads = 1;
  Start(options);
  auto blocked = std::async(std::launch::async, [this] { return SendBlocking(); });
  ASSERT_TRUE(gate_.WaitUntilHeld());

  EXPECT_EQ(StatusWithinHangGuard(server_->port(), Request(http::verb::get, "/blocking"), gate_), 503u);

  gate_.Release();
  EXPECT_EQ(blocked.get(), 200u);
}

TEST_F(HttpsServerTest, DrainLetsARequestInFlightFinishWithItsWholeAnswer) {
  Start(WithDrainGuard());
  TlsClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  client.Write(Request(http::verb::get, "/blocking"));
  ASSERT_TRUE(gate_.WaitUntilHeld());

  server_->StartDraining();
  auto stopped = std::async(std::launch::async, [this] { return server_->Stop(); });
  gate_.Release();
  ExpectWholeAnswerThatCloses(client.Receive(kHangGuard));
  EXPECT_TRUE(client.ClosedByServer(kHangGuard));
  client.Close();
  EXPECT_EQ(stopped.get(), 0u);
}

// A kept-alive connection whose next request is already in flight when the drain begins: its answer
// says `Connection: close`, and the connection ends after it.
TEST_F(HttpsServerTest, DrainAnswersAKeptAliveConnectionWithConnectionCloseAndEndsIt) {
  Start(WithDrainGuard());
  TlsClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  const auto first = client.Send(Request(http::verb::post, "/echo", "one"));
  EXPECT_EQ(first.body(), "one");
  EXPECT_TRUE(first.keep_alive());
  client.Write(Request(http::verb::get, "/blocking"));
  ASSERT_TRUE(gate_.WaitUntilHeld());

  server_->StartDraining();
  gate_.Release();
  ExpectWholeAnswerThatCloses(client.Receive(kHangGuard));
  EXPECT_TRUE(client.ClosedByServer(kHangGuard));
  client.Close();
  EXPECT_EQ(server_->Stop(), 0u);
}

// Connected but not yet asked: such a client is about to send its request, so the drain waits for
// it instead of closing the connection, and answers it with `Connection: close`.
TEST_F(HttpsServerTest, DrainAnswersARequestSentDuringItOnAConnectionOpenedBefore) {
  Start(WithDrainGuard());
  TlsClient client(server_->port());
  ASSERT_FALSE(client.Handshake());

  ExpectADrainToAnswerWithClose(client, "late");
}

// The listener closes before the requests in flight end: from then on the other replica on the
// port takes every new connection, while this one still finishes its answer.
TEST_F(HttpsServerTest, DrainHandsNewConnectionsToTheOtherReplicaWhileItFinishes) {
  ServerOptions options = WithDrainGuard();
  options.reuse_port = true;
  Start(options);
  std::unique_ptr<Server> second = Replica("second", server_->port(), true);
  ASSERT_TRUE(second->Start().ok());
  // The kernel picks a listener by a hash of the client's address and port: try until one lands here.
  std::unique_ptr<TlsClient> held;
  for (int i = 0; i < 200 && !held; ++i) {
    auto client = std::make_unique<TlsClient>(server_->port());
    ASSERT_FALSE(client->Handshake());
    if (client->PeerCommonName() == "first") held = std::move(client);
  }
  ASSERT_TRUE(held);
  held->Write(Request(http::verb::get, "/blocking"));
  ASSERT_TRUE(gate_.WaitUntilHeld());

  server_->StartDraining();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(ServedCommonName(), "second");
  gate_.Release();
  ExpectWholeAnswerThatCloses(held->Receive(kHangGuard));
  EXPECT_TRUE(held->ClosedByServer(kHangGuard));
  held->Close();
  EXPECT_EQ(server_->Stop(), 0u);
}

// Idle when the drain begins: the connection stays open for its client's next request, which is
// answered with `Connection: close`, rather than closed under a request that may be on its way.
TEST_F(HttpsServerTest, DrainAnswersTheNextRequestOfAConnectionIdleWhenItBegan) {
  Start(WithDrainGuard());
  TlsClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  EXPECT_TRUE(client.Send(Request(http::verb::post, "/echo", "one")).keep_alive());

  ExpectADrainToAnswerWithClose(client, "two");
}

// Nothing in flight: the idle connection is closed once the drain's linger has passed, and Stop()
// returns with nothing cut although its deadline is far away.
TEST_F(HttpsServerTest, DrainClosesAnIdleKeptAliveConnectionAfterItsLinger) {
  ServerOptions options = WithDrainGuard();
  options.idle_timeout = 2 * kHangGuard;  // so that only the drain can close it in time
  Start(options);
  TlsClient client(server_->port());
  ASSERT_FALSE(client.Handshake());
  EXPECT_TRUE(client.Send(Request(http::verb::post, "/echo", "one")).keep_alive());

  auto stopped = std::async(std::launch::async, [this] { return server_->Stop(); });
  EXPECT_TRUE(client.ClosedByServer(kHangGuard));
  client.Close();
  EXPECT_EQ(stopped.get(), 0u);
}

TEST_F(HttpsServerTest, StopCutsTheConnectionsLeftAtTheDrainDeadline) {
  ServerOptions options;
  options.read_timeout = 2 * kHangGuard;
  options.drain_timeout = std::chrono::milliseconds(0);
  Start(options);
  TlsClient client(server_->port());
  ASSERT_FALSE(client.Handshake());  // and no request: the server waits for one
  EXPECT_EQ(server_->Stop(), 1u);
  EXPECT_EQ(server_->Stop(), 0u);
}

// Limits. Each bounds what one hostile client can hold: connections, header bytes, descriptors.

TEST_F(HttpsServerTest, ClosesAConnectionBeyondTheLimitAtOnceAndServesAgainBelowIt) {
  ServerOptions options;
  options.max_connections = 2;
  Start(options);
  auto first = std::make_unique<TlsClient>(server_->port());
  ASSERT_FALSE(first->Handshake());
  TlsClient second(server_->port());
  ASSERT_FALSE(second.Handshake());

  TlsClient refused(server_->port());
  EXPECT_TRUE(refused.Handshake()) << "a third connection was served";
  EXPECT_NE(
      second.Send(Request(http::verb::get, "/metrics")).body().find("kernel_secrets_http_connections_refused_total 1"),
      std::string::npos);

  first->Close();
  first.reset();
  // The server notices the close on its next read; until then the slot is taken.
  bool served = false;
  for (auto deadline = std::chrono::steady_clock::now() + kHangGuard;
       !served && std::chrono::steady_clock::now() < deadline;) {
    TlsClient next(server_->port());
    served = !next.Handshake() && next.Send(Request(http::verb::get, "/healthz")).result_int() == 200;
  }
  EXPECT_TRUE(served);
}

TEST_F(HttpsServerTest, HeaderBeyondTheLimitIs431) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  Start(options);
  auto request = Request(http::verb::get, "/healthz");
  request.set("x-filler", std::string(512, 'a'));
  EXPECT_EQ(Send(request).result_int(), 200);
  request.set("x-filler", std::string(2048, 'a'));
  const auto answer = Send(request);
  EXPECT_EQ(answer.result_int(), 431);
  EXPECT_FALSE(answer.keep_alive());
}

TEST(HttpsServerOptions, IdleConnectionsCloseAfter30Seconds) {
  EXPECT_EQ(ServerOptions{}.idle_timeout, std::chrono::seconds(30));
}

// Restores the soft descriptor limit of the process when it goes out of scope.
class DescriptorLimitGuard {
 public:
  DescriptorLimitGuard() { getrlimit(RLIMIT_NOFILE, &saved_); }
  ~DescriptorLimitGuard() { setrlimit(RLIMIT_NOFILE, &saved_); }
  DescriptorLimitGuard(const DescriptorLimitGuard&) = delete;
  DescriptorLimitGuard& operator=(const DescriptorLimitGuard&) = delete;

 private:
  rlimit saved_{};
};

std::chrono::duration<double> ProcessCpuTime() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return std::chrono::duration<double>(seconds(usage.ru_utime) + seconds(usage.ru_stime));
}

// A connection that arrives while the process has no descriptor left fails accept() with EMFILE
// and stays in the backlog. An accept loop that retried at once would spin a core until then.
TEST_F(HttpsServerTest, AcceptWaitsOutALackOfFileDescriptorsWithoutSpinning) {
  ServerOptions options;
  options.read_timeout = std::chrono::milliseconds(200);
  Start(options);
  asio::io_context io;
  asio::ip::tcp::socket starved(io);
  starved.open(asio::ip::tcp::v4());  // while a descriptor is still free

  std::vector<int> filler;
  {
    const DescriptorLimitGuard guard;
    // Low enough that filling it takes a few opens.
    rlimit lowered{};
    getrlimit(RLIMIT_NOFILE, &lowered);
    lowered.rlim_cur = std::min<rlim_t>(lowered.rlim_cur, starved.native_handle() + 32);
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
    for (int fd; (fd = open("/dev/null", O_RDONLY)) >= 0;) filler.push_back(fd);
    ASSERT_EQ(errno, EMFILE);

    starved.connect({asio::ip::make_address("127.0.0.1"), server_->port()});
    const auto cpu_before = ProcessCpuTime();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    EXPECT_LT((ProcessCpuTime() - cpu_before).count(), 0.5) << "the accept loop spun";
    for (int fd : filler) close(fd);
  }

  // Accepted once descriptors are free again: the read timeout then closes it, as it does any
  // connection that sends nothing.
  char byte;
  beast::error_code ec;
  starved.read_some(asio::buffer(&byte, 1), ec);
  EXPECT_EQ(ec, asio::error::eof);
  EXPECT_EQ(Send(Request(http::verb::get, "/healthz")).result_int(), 200);
}

// TLS 1.2 clients get ECDHE with AES-GCM or ChaCha20-Poly1305, nothing with CBC or without
// forward secrecy.
TEST_F(HttpsServerTest, Tls12NegotiatesOnlyEcdheWithAnAeadCipher) {
  Start();
  for (const char* weak : {"ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384", "AES128-GCM-SHA256", "AES256-SHA"}) {
    TlsClient client(server_->port());
    client.OfferOnly(weak);
    EXPECT_TRUE(client.Handshake()) << weak;
  }
  for (const char* aead :
       {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305"}) {
    TlsClient client(server_->port());
    client.OfferOnly(aead);
    EXPECT_FALSE(client.Handshake()) << aead;
  }
}

// Client certificates: the API server's identity as the webhooks' only caller.
class HttpsClientCertificateTest : public HttpsServerTest {
 protected:
  fs::path ClientCaFile() const { return dir_ / "client-ca.crt"; }

  void StartWithClientCa(std::vector<std::string> client_names = {}) {
    ReplaceFile(ClientCaFile(), client_ca_.certificate);
    ServerOptions options;
    options.client_ca_file = ClientCaFile();
    options.client_names = std::move(client_names);
    Start(options);
  }

  PemPair Caller(const std::string& common_name, std::vector<std::string> dns_names = {}) const {
    return IssueCertificate({.common_name = common_name, .dns_names = std::move(dns_names), .issuer = &client_ca_});
  }

  // The status of POST /echo (a route for callers), or of GET `open_path`, over a new connection
  // presenting `certificate` (nullptr: none), or nullopt when no answer came. Under TLS 1.3 a client
  // finishes its side of the handshake before the server checked its certificate, and learns of the
  // refusal on its first read.
  std::optional<int> AnswerTo(const PemPair* certificate, const std::string& open_path = "") {
    TlsClient client(server_->port());
    if (certificate != nullptr) client.PresentCertificate(*certificate);
    if (client.Handshake()) return std::nullopt;
    try {
      client.Write(open_path.empty() ? Request(http::verb::post, "/echo", "5ecret-v4lue")
                                     : Request(http::verb::get, open_path));
    } catch (const std::exception&) {
      return std::nullopt;
    }
    const auto response = client.Receive(kHangGuard);
    if (!response) return std::nullopt;
    EXPECT_TRUE(response->result_int() == 200 || response->body().find("5ecret") == std::string::npos);
    return response->result_int();
  }

  PemPair client_ca_ = IssueCertificate({.common_name = "callers", .is_ca = true});
};

TEST_F(HttpsClientCertificateTest, OnlyACertificateTheClientCaSignedGetsAnAnswer) {
  StartWithClientCa();
  EXPECT_EQ(AnswerTo(nullptr), 403) << "no certificate: no handler of a route for callers runs";
  const PemPair self_signed = MakeCertificate("callers");
  EXPECT_EQ(AnswerTo(&self_signed), std::nullopt);
  const PemPair other_ca = IssueCertificate({.common_name = "callers", .is_ca = true});
  const PemPair from_other_ca = IssueCertificate({.common_name = "anyone", .issuer = &other_ca});
  EXPECT_EQ(AnswerTo(&from_other_ca), std::nullopt);
  const PemPair caller = Caller("anyone");
  EXPECT_EQ(AnswerTo(&caller), 200);
}

TEST_F(HttpsClientCertificateTest, WithClientNamesOnlyACertificateNamingOneReachesAHandler) {
  StartWithClientCa({"kernel-secrets-apiserver", "second-caller"});
  for (const PemPair& allowed : {Caller("kernel-secrets-apiserver"), Caller("second-caller"),
                                 Caller("other", {"x.example", "kernel-secrets-apiserver"})}) {
    EXPECT_EQ(AnswerTo(&allowed), 200);
  }
  for (const PemPair& refused :
       {Caller("other", {"x.example"}), Caller("Kernel-Secrets-Apiserver"), Caller("kernel-secrets-apiserver.evil")}) {
    EXPECT_EQ(AnswerTo(&refused), 403);
  }
  EXPECT_EQ(AnswerTo(nullptr), 403);
}

TEST_F(HttpsClientCertificateTest, RoutesOpenToAnyoneAnswerAClientWithoutACertificate) {
  ready_ = true;
  StartWithClientCa({"kernel-secrets-apiserver"});
  for (const char* path : {"/healthz", "/readyz", "/metrics"}) {
    EXPECT_EQ(AnswerTo(nullptr, path), 200) << path << ", as the kubelet's probes ask";
    const PemPair other = Caller("other");
    EXPECT_EQ(AnswerTo(&other, path), 200) << path;
  }
  EXPECT_EQ(AnswerTo(nullptr, "/blocking"), 403) << "a GET route for callers";
}

TEST_F(HttpsClientCertificateTest, TrustsARotatedClientCaForNewConnections) {
  StartWithClientCa();
  const PemPair old_caller = Caller("caller");
  EXPECT_EQ(AnswerTo(&old_caller), 200);
  client_ca_ = IssueCertificate({.common_name = "callers-2", .is_ca = true});
  ReplaceFile(ClientCaFile(), client_ca_.certificate);
  const PemPair new_caller = Caller("caller");
  EXPECT_EQ(AnswerTo(&new_caller), 200);
  EXPECT_EQ(AnswerTo(&old_caller), std::nullopt);
}

TEST_F(HttpsClientCertificateTest, StartFailsWithAClientCaFileWithoutACertificate) {
  ReplaceFile(ClientCaFile(), "not a certificate");
  Server server({.cert_file = CertFile(), .key_file = KeyFile(), .client_ca_file = ClientCaFile()});
  const Status started = server.Start();
  EXPECT_EQ(started.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(started.message().find("client-ca.crt"), std::string::npos) << started.message();
}

TEST_F(HttpsClientCertificateTest, StartFailsWithClientNamesButNoClientCa) {
  Server server({.cert_file = CertFile(), .key_file = KeyFile(), .client_names = {"kernel-secrets-apiserver"}});
  EXPECT_EQ(server.Start().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ks::https
