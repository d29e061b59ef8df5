// The HTTP request and response as handlers see them: plain values, no Boost types, so that
// handlers (admission, probes, metrics) are pure functions testable without a socket.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ks::https {

// Members default to empty so that tests can name only the fields they need.
struct HttpRequest {
  std::string method{};                          // "GET", "POST", ...
  std::string path{};                            // the target without its query
  std::string query{};                           // after '?', undecoded; empty when absent
  std::map<std::string, std::string> headers{};  // names lower-cased
  std::string body{};

  // The value of header `name` (any case), or "" when absent.
  std::string Header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers{};  // beyond Content-Type
  std::string body{};

  static HttpResponse Text(int status, std::string body);
  static HttpResponse Json(int status, std::string body);
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

}  // namespace ks::https
