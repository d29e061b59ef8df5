#include "core/https/router.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <typeinfo>

namespace ks::https {

void Router::Add(std::string method, std::string path, HttpHandler handler) {
  routes_[std::move(path)][std::move(method)] = std::move(handler);
}

HttpResponse Router::Dispatch(const HttpRequest& request) const {
  auto by_path = routes_.find(request.path);
  if (by_path == routes_.end()) return HttpResponse::Text(404, "not found\n");

  const auto& methods = by_path->second;
  auto handler = methods.find(request.method);
  if (handler == methods.end()) {
    std::string allow;
    for (const auto& [method, unused] : methods) allow += (allow.empty() ? "" : ", ") + method;
    auto response = HttpResponse::Text(405, "method not allowed\n");
    response.headers.emplace_back("Allow", allow);
    return response;
  }

  // An exception's text may quote the request (a JSON parse error quotes the bytes it choked on,
  // and a request may carry a secret's value), so neither the answer nor the log repeats it.
  try {
    return handler->second(request);
  } catch (const std::exception& e) {
    spdlog::error("handler for {} {} threw {}", request.method, request.path, typeid(e).name());
  } catch (...) {
    spdlog::error("handler for {} {} threw a non-standard exception", request.method, request.path);
  }
  return HttpResponse::Text(500, "internal error\n");
}

}  // namespace ks::https
