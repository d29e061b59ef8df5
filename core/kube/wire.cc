#include "core/kube/wire.h"

#include <string>

namespace ks::kube {
namespace {

StatusCode CodeFor(int http_status, std::string_view reason) {
  switch (http_status) {
    case 400:
      return StatusCode::kInvalidArgument;
    case 401:
      return StatusCode::kUnauthenticated;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 409:
      return reason == "AlreadyExists" ? StatusCode::kAlreadyExists : StatusCode::kConflict;
    case 410:
      return StatusCode::kGone;
    case 422:
      return StatusCode::kInvalidArgument;
    case 429:
      return StatusCode::kUnavailable;  // throttled: retry later
    default:
      break;
  }
  // 5xx includes a fail-closed webhook that is down (500): transient from our side.
  if (http_status >= 500) return StatusCode::kUnavailable;
  if (http_status >= 400) return StatusCode::kInvalidArgument;
  return StatusCode::kInternal;  // not an error code at all: a caller bug
}

std::string StringField(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Status StatusFromApiStatus(const nlohmann::json& status) {
  const int code = status.value("code", 0);
  std::string message = StringField(status, "message");
  if (message.empty()) message = "HTTP " + std::to_string(code) + " " + StringField(status, "reason");
  return {CodeFor(code, StringField(status, "reason")), std::move(message)};
}

Status StatusFromHttp(int http_status, std::string_view body) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object() && parsed.value("kind", "") == "Status") {
    parsed["code"] = http_status;  // the transport's code is the authority
    return StatusFromApiStatus(parsed);
  }
  constexpr size_t kQuoted = 200;
  std::string message = "HTTP " + std::to_string(http_status);
  if (!body.empty()) message += ": " + std::string(body.substr(0, kQuoted));
  return {CodeFor(http_status, ""), std::move(message)};
}

StatusOr<WatchEvent> ParseWatchEvent(std::string_view line) {
  nlohmann::json parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object() || !parsed.contains("type") || !parsed["type"].is_string() || !parsed.contains("object") ||
      !parsed["object"].is_object()) {
    return Internal("watch stream: a line that is not a watch event");
  }
  WatchEvent event{parsed["type"].get<std::string>(), std::move(parsed["object"])};
  if (event.type == "ERROR") return StatusFromApiStatus(event.object);
  return event;
}

}  // namespace ks::kube
