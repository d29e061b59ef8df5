// Dispatches a request to the handler registered for its exact path and method: 404 for an
// unknown path, 405 (with Allow) for a known path and another method, 500 with a generic body when
// a handler throws. Register every route before dispatching; Dispatch is then safe from any thread.
#pragma once

#include <map>
#include <string>

#include "core/https/message.h"

namespace ks::https {

class Router {
 public:
  // Replaces an earlier handler for the same method and path.
  void Add(std::string method, std::string path, HttpHandler handler);

  bool HasPath(const std::string& path) const { return routes_.contains(path); }

  HttpResponse Dispatch(const HttpRequest& request) const;

 private:
  std::map<std::string, std::map<std::string, HttpHandler>> routes_;  // path -> method -> handler
};

}  // namespace ks::https
