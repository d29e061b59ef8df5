#include "core/https/beast_message.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace ks::https {
namespace {

namespace http = boost::beast::http;

std::string ToString(boost::beast::string_view view) { return std::string(view.data(), view.size()); }

}  // namespace

HttpRequest ToHttpRequest(BeastRequest&& message) {
  HttpRequest request;
  request.method = ToString(message.method_string());
  const std::string target = ToString(message.target());
  const auto query_start = target.find('?');
  request.path = target.substr(0, query_start);
  if (query_start != std::string::npos) request.query = target.substr(query_start + 1);
  for (const auto& field : message) {
    std::string name = ToString(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string& value = request.headers[name];
    value += (value.empty() ? "" : ", ") + ToString(field.value());
  }
  request.body = std::move(message.body());
  return request;
}

BeastResponse ToBeastResponse(HttpResponse&& response, unsigned version, bool keep_alive) {
  BeastResponse message(static_cast<http::status>(response.status), version);
  message.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) message.set(name, value);
  message.keep_alive(keep_alive);
  message.body() = std::move(response.body);
  message.prepare_payload();
  return message;
}

}  // namespace ks::https
