// Hostile callers against the running operator and injector of the local cluster: bodies and
// requests no API server sends, on every route of both, must each get a prompt 4xx, and both
// processes must still answer afterwards. A caller without the API server's client certificate
// gets no decision, only a 403. All traffic goes to 127.0.0.1, a bounded number of requests, each
// bounded in time.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support/local_cluster.h"

namespace ks::e2e {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;

// Far above what any of these answers takes on loopback; a guard against a server that hangs.
constexpr std::chrono::seconds kPrompt{10};
constexpr const char* kSecretMarker = "hostile-5ecret-v4lue";

// Where local-up writes the client certificate the API server presents to the webhooks.
fs::path ClientCertificate() { return fs::path(testing::StateDir()) / "pki" / "webhook-client.crt"; }
fs::path ClientKey() { return fs::path(testing::StateDir()) / "pki" / "webhook-client.key"; }

struct Target {
  std::string name;  // operator or injector, as in local-up's pid files
  uint16_t port;
  std::vector<std::string> webhooks;
};

std::optional<Target> TargetFromEnv(const char* name, const char* port_variable, std::vector<std::string> webhooks) {
  const char* port = std::getenv(port_variable);
  if (port == nullptr) return std::nullopt;
  return Target{name, static_cast<uint16_t>(std::stoi(port)), std::move(webhooks)};
}

// One TLS connection to 127.0.0.1 that trusts the webhook CA and, unless told not to, presents
// the API server's client certificate when local-up made one. Every operation is bounded by kPrompt.
class Caller {
 public:
  Caller(uint16_t port, bool present_client_certificate) : tls_(asio::ssl::context::tls_client) {
    tls_.load_verify_file(std::getenv("KERNEL_SECRETS_WEBHOOK_CA"));
    tls_.set_verify_mode(asio::ssl::verify_peer);
    if (present_client_certificate && fs::exists(ClientCertificate())) {
      tls_.use_certificate_chain_file(ClientCertificate());
      tls_.use_private_key_file(ClientKey(), asio::ssl::context::pem);
    }
    stream_.emplace(io_, tls_);
    Bounded([&](auto done) {
      beast::get_lowest_layer(*stream_).async_connect({asio::ip::make_address("127.0.0.1"), port},
                                                      [done](beast::error_code ec) { done(ec); });
    });
    if (!ec_) Bounded([&](auto done) { stream_->async_handshake(asio::ssl::stream_base::client, done); });
  }

  // The answer, or nullopt when none came within kPrompt (or the connection failed).
  std::optional<http::response<http::string_body>> Send(http::request<http::string_body> request) {
    if (ec_) return std::nullopt;
    request.set(http::field::host, "127.0.0.1");
    request.prepare_payload();
    Bounded(
        [&](auto done) { http::async_write(*stream_, request, [done](beast::error_code ec, size_t) { done(ec); }); });
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    if (!ec_) {
      Bounded([&](auto done) {
        http::async_read(*stream_, buffer_, parser, [done](beast::error_code ec, size_t) { done(ec); });
      });
    }
    if (ec_) return std::nullopt;
    return parser.release();
  }

 private:
  // Starts an operation and runs it until it completes or kPrompt passes; then it is cancelled,
  // so that nothing outlives the locals it refers to.
  template <typename Start>
  void Bounded(Start start) {
    std::optional<beast::error_code> result;
    start([&result](beast::error_code ec) { result = ec; });
    io_.restart();
    io_.run_for(kPrompt);
    if (!result) {
      beast::get_lowest_layer(*stream_).cancel();
      io_.restart();
      io_.run();
    }
    ec_ = result.value_or(asio::error::timed_out);
  }

  asio::io_context io_;
  asio::ssl::context tls_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> stream_;
  beast::flat_buffer buffer_;
  beast::error_code ec_;
};

http::request<http::string_body> Post(const std::string& path, std::string body,
                                      const std::string& content_type = "application/json") {
  http::request<http::string_body> request(http::verb::post, path, 11);
  request.set(http::field::content_type, content_type);
  request.body() = std::move(body);
  return request;
}

http::request<http::string_body> Get(const std::string& path) { return {http::verb::get, path, 11}; }

std::string Review(const std::string& object) {
  return R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"00000000-0000-0000-0000-000000000001",)"
         R"("kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},)"
         R"("namespace":"default","operation":"CREATE","object":)" +
         object + "}}";
}

std::string Nested(char open, char close, size_t levels) {
  return std::string(levels, open) + '"' + kSecretMarker + '"' + std::string(levels, close);
}

std::string NestedObjects(size_t levels) {
  std::string text;
  for (size_t i = 0; i < levels; ++i) text += R"({"a":)";
  return text + '"' + kSecretMarker + '"' + std::string(levels, '}');
}

// Bodies of shapes the API server never sends, all under the 3 MiB body cap. (One over the cap is
// answered 413 as soon as its header is read, and the rest of it then resets the connection: the
// unit tests cover that.)
std::vector<std::pair<std::string, http::request<http::string_body>>> HostileWebhookRequests(const std::string& path) {
  const std::string value = std::string("\"") + kSecretMarker + "\"";
  return {
      {"arrays nested 200000 deep", Post(path, Review(Nested('[', ']', 200000)))},
      {"objects nested 200000 deep", Post(path, Review(NestedObjects(200000)))},
      {"a bare nesting of 1 MiB", Post(path, Nested('[', ']', 512 * 1024))},
      {"an unclosed nesting", Post(path, std::string(1024 * 1024, '['))},
      {"a number beyond a double", Post(path, Review(R"({"spec":{"value":1e999}})"))},
      {"a 400-digit integer", Post(path, Review(R"({"spec":{"value":)" + std::string(400, '9') + "}}"))},
      // In a label, which every webhook reads: a webhook checks UTF-8 and duplicate keys in the
      // fields it reads (docs/decisions/2026-12-02-injector-speed.md).
      {"invalid UTF-8",
       Post(path, Review(R"({"metadata":{"labels":{"a":")" + std::string(kSecretMarker) + "\xff\xfe\"}}}"))},
      {"a duplicate key", Post(path, Review(R"({"metadata":{"labels":{"a":)" + value + R"(,"a":"x"}}})"))},
      {"an object that is an array", Post(path, Review("[" + value + "]"))},
      {"a uid of 1 MiB",
       Post(path, R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":")" +
                      std::string(1024 * 1024, 'u') + "\"}}")},
      {"a uid with a newline", Post(path, R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",)"
                                          R"("request":{"uid":"a\nforged log line"}})")},
      {"groups of the wrong type", Post(path, R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",)"
                                              R"("request":{"uid":"u","userInfo":{"groups":{"a":1}}}})")},
      {"a review without a request", Post(path, R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"})")},
      {"not JSON", Post(path, std::string(kSecretMarker) + " {")},
      {"an empty body", Post(path, "")},
      {"a body not declared JSON", Post(path, Review("{}"), "text/plain")},
      {"the wrong method", Get(path)},
  };
}

std::vector<std::pair<std::string, http::request<http::string_body>>> HostileRequestsToEveryRoute(
    const Target& target) {
  std::vector<std::pair<std::string, http::request<http::string_body>>> requests;
  for (const std::string& webhook : target.webhooks) {
    for (auto& [name, request] : HostileWebhookRequests(webhook)) requests.emplace_back(webhook + ": " + name, request);
  }
  for (const char* route : {"/healthz", "/readyz", "/metrics"}) {
    requests.emplace_back(std::string(route) + ": POST with a nesting", Post(route, Nested('[', ']', 100000)));
    requests.emplace_back(std::string(route) + ": DELETE",
                          http::request<http::string_body>(http::verb::delete_, route, 11));
  }
  auto huge_header = Get("/healthz");
  // Over the 8 KiB limit, and in one TLS record: the server reads it whole before it answers. A
  // longer one is still being written when the server answers and closes, and the reset of the
  // connection can overtake the answer.
  huge_header.set("x-filler", std::string(12 * 1024, 'h'));
  requests.emplace_back("/healthz: a 12 KiB header", huge_header);
  requests.emplace_back("an unknown path", Get("/../../etc/passwd"));
  requests.emplace_back("an unknown long path", Get("/" + std::string(4000, 'p')));
  return requests;
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

bool RunAsLocalProcesses() { return Env("KERNEL_SECRETS_INSTALL") == "processes"; }

bool ProcessAlive(const std::string& component) {
  std::ifstream pid_file(fs::path(testing::StateDir()) / "pids" / (component + ".pid"));
  pid_t pid = 0;
  return pid_file >> pid && pid > 0 && kill(pid, 0) == 0;
}

class HostileInput : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Env("KERNEL_SECRETS_WEBHOOK_CA").empty()) GTEST_FAIL() << "source the state dir's env file of scripts/local-up";
    for (auto target : {TargetFromEnv("operator", "KERNEL_SECRETS_OPERATOR_PORT",
                                      {"/mutate/secrets", "/validate/secrets", "/validate/secretshares"}),
                        TargetFromEnv("injector", "KERNEL_SECRETS_INJECTOR_PORT", {"/mutate/pods"})}) {
      ASSERT_TRUE(target) << "the env file names no port of the operator or the injector";
      targets_.push_back(*target);
    }
  }

  void ExpectAnswering(const Target& target) {
    const auto health = Caller(target.port, true).Send(Get("/healthz"));
    ASSERT_TRUE(health) << target.name << " does not answer";
    EXPECT_EQ(health->result_int(), 200) << target.name;
    if (RunAsLocalProcesses()) {
      EXPECT_TRUE(ProcessAlive(target.name)) << target.name;
    }
  }

  std::vector<Target> targets_;
};

TEST_F(HostileInput, EveryRouteOfBothAnswersHostileRequestsWith4xxAndKeepsServing) {
  for (const Target& target : targets_) {
    for (auto& [name, request] : HostileRequestsToEveryRoute(target)) {
      const auto started = std::chrono::steady_clock::now();
      const auto answer = Caller(target.port, true).Send(request);
      ASSERT_TRUE(answer) << target.name << " " << name << ": no answer within " << kPrompt.count() << " s";
      EXPECT_GE(answer->result_int(), 400) << target.name << " " << name;
      EXPECT_LT(answer->result_int(), 500) << target.name << " " << name << ": " << answer->body().substr(0, 200);
      EXPECT_EQ(answer->body().find(kSecretMarker), std::string::npos) << target.name << " " << name;
      EXPECT_LT(std::chrono::steady_clock::now() - started, kPrompt) << target.name << " " << name;
    }
    ExpectAnswering(target);
  }
  for (const Target& target : targets_) ExpectAnswering(target);
}

TEST_F(HostileInput, AForgedReviewWithoutTheClientCertificateGetsNoDecision) {
  if (!fs::exists(ClientCertificate())) {
    GTEST_SKIP() << ClientCertificate() << " does not exist: this cluster's webhooks ask for no client certificate";
  }
  // Without a certificate a client reaches the probes' routes only: a webhook route answers 403,
  // never an AdmissionReview, and no handler runs.
  for (const Target& target : targets_) {
    for (const std::string& webhook : target.webhooks) {
      const auto forged = Caller(target.port, false).Send(Post(webhook, Review(R"({"metadata":{}})")));
      ASSERT_TRUE(forged) << target.name << " " << webhook << ": no answer within " << kPrompt.count() << " s";
      EXPECT_EQ(forged->result_int(), 403) << target.name << " " << webhook;
      EXPECT_EQ(forged->body().find("AdmissionReview"), std::string::npos) << target.name << " " << webhook;
    }
    ExpectAnswering(target);
  }
}

// Both hold keys; a crash must not write them into a core file.
TEST_F(HostileInput, BothProcessesWriteNoCoreFile) {
  if (!RunAsLocalProcesses()) {
    GTEST_SKIP() << "the binaries run in pods, not as local processes";
  }
  for (const Target& target : targets_) {
    std::ifstream pid_file(fs::path(testing::StateDir()) / "pids" / (target.name + ".pid"));
    std::string pid;
    ASSERT_TRUE(pid_file >> pid) << target.name;
    std::ifstream limits("/proc/" + pid + "/limits");
    std::stringstream text;
    text << limits.rdbuf();
    EXPECT_NE(text.str().find("Max core file size        0                    0"), std::string::npos)
        << target.name << ":\n"
        << text.str();
  }
}

}  // namespace
}  // namespace ks::e2e
