#include "core/https/message.h"

#include <algorithm>
#include <cctype>

namespace ks::https {

std::string HttpRequest::Header(std::string_view name) const {
  std::string key(name);
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  auto it = headers.find(key);
  return it == headers.end() ? std::string() : it->second;
}

HttpResponse HttpResponse::Text(int status, std::string body) {
  return {.status = status, .content_type = "text/plain; charset=utf-8", .body = std::move(body)};
}

HttpResponse HttpResponse::Json(int status, std::string body) {
  return {.status = status, .content_type = "application/json", .body = std::move(body)};
}

}  // namespace ks::https
