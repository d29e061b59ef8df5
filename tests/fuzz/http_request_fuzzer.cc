// The HTTP side of the servers (core/https) without a socket or TLS: the bytes a client sends on a
// connection, read by Beast's request parser as a Session reads them (read_header, then the body,
// with the server's body limit; kept-alive requests one after another on the same buffer), each
// request handed to a Router holding the routes both binaries register, an admission route among
// them. The first input byte sets how many bytes each read gets, as a peer's segments would.
//
// The conversion to HttpRequest is the server's own (core/https/beast_message.h); the Session's
// read loop is followed here, since the Session lives in server.cc's anonymous namespace. TLS,
// timeouts and the response writer are not covered.
#include <algorithm>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/https/beast_message.h"
#include "core/https/router.h"
#include "core/https/server.h"
#include "core/metrics/registry.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// Kept-alive requests read from one input; enough to cover pipelining.
constexpr int kMaxRequestsPerConnection = 8;

// The input as a socket: each read gets at most `segment` bytes, then the peer has closed.
class InputStream {
 public:
  InputStream(std::string_view bytes, size_t segment) : rest_(bytes), segment_(segment) {}

  template <class MutableBuffers>
  size_t read_some(const MutableBuffers& buffers, beast::error_code& ec) {
    if (rest_.empty()) {
      ec = asio::error::eof;
      return 0;
    }
    const size_t n = asio::buffer_copy(buffers, asio::buffer(rest_.data(), std::min(segment_, rest_.size())));
    rest_.remove_prefix(n);
    ec = {};
    return n;
  }

  template <class MutableBuffers>
  size_t read_some(const MutableBuffers& buffers) {
    beast::error_code ec;
    const size_t n = read_some(buffers, ec);
    if (ec) throw beast::system_error(ec);
    return n;
  }

 private:
  std::string_view rest_;
  size_t segment_;
};

// The probes and /metrics as AddStandardRoutes registers them, and an admission webhook.
const ks::https::Router& Routes() {
  static ks::metrics::Registry metrics;
  static const ks::https::Router router = [] {
    ks::https::Router r;
    r.Add("GET", "/healthz", [](const ks::https::HttpRequest&) { return ks::https::HttpResponse::Text(200, "ok\n"); });
    r.Add("GET", "/readyz", [](const ks::https::HttpRequest&) { return ks::https::HttpResponse::Text(200, "ok\n"); });
    r.Add("GET", "/metrics",
          [](const ks::https::HttpRequest&) { return ks::https::HttpResponse::Text(200, metrics.Exposition()); });
    r.Add("POST", "/mutate/pods", [](const ks::https::HttpRequest& request) {
      metrics.GetCounter("fuzz_admissions_total", "Reviews served.").Increment();
      return ks::admission::ServeAdmission(
          request, [](const ks::admission::AdmissionRequest&) { return ks::admission::AdmissionDecision::Allow(); });
    });
    return r;
  }();
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // 1 to 255 bytes per read, or 0: all at once.
  const size_t segment = data[0] == 0 ? size : data[0];
  InputStream stream({reinterpret_cast<const char*>(data) + 1, size - 1}, segment);
  const size_t body_limit = ks::https::ServerOptions().max_body_bytes;

  beast::flat_buffer buffer;
  for (int i = 0; i < kMaxRequestsPerConnection; ++i) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(body_limit);
    beast::error_code ec;
    http::read_header(stream, buffer, parser, ec);
    if (!ec) http::read(stream, buffer, parser, ec);
    if (ec) return 0;  // the server answers 413 or 400, or closes

    const ks::https::HttpResponse response = Routes().Dispatch(ks::https::ToHttpRequest(std::move(parser.get())));
    ks::fuzz::Require(response.status >= 200 && response.status < 600, "an answer has an HTTP status");
    if (!parser.get().keep_alive()) return 0;
  }
  return 0;
}
