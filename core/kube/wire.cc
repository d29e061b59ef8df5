#include "core/kube/wire.h"

#include <string>

#include "core/common/json_fields.h"

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


}  // namespace

Status StatusFromApiStatus(const nlohmann::json& status) {
  const int code = status.value("code", 0);
  std::string message = StringAt(status, "/message"_json_pointer);
  if (message.empty()) message = "HTTP " + std::to_string(code) + " " + StringAt(status, "/reason"_json_pointer);
  return {CodeFor(code, StringAt(status, "/reason"_json_pointer)), std::move(message)};
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

namespace {

enum ExecChannel : unsigned char { kStdout = 1, kStderr = 2, kEnd = 3 };

// The exit code a NonZeroExitCode Status carries as its ExitCode cause, or nullopt.
std::optional<int> ExitCodeCause(const nlohmann::json& status) {
  for (const nlohmann::json& cause : status.value("/details/causes"_json_pointer, nlohmann::json::array())) {
    if (!cause.is_object() || StringAt(cause, "/reason"_json_pointer) != "ExitCode") continue;
    const std::string code = StringAt(cause, "/message"_json_pointer);
    if (!code.empty() && code.size() <= 3 && code.find_first_not_of("0123456789") == std::string::npos) {
      return std::stoi(code);
    }
  }
  return std::nullopt;
}

}  // namespace

Status ReadExecFrame(std::string_view frame, ExecResult& result) {
  if (frame.empty()) return Status::Ok();  // a keep-alive
  const std::string_view payload = frame.substr(1);
  switch (static_cast<unsigned char>(frame.front())) {
    case kStdout:
      result.out.append(payload);
      return Status::Ok();
    case kStderr:
      result.err.append(payload);
      return Status::Ok();
    case kEnd: {
      const nlohmann::json status = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
      if (!status.is_object()) return Internal("exec: the end of the command is not a Status");
      if (StringAt(status, "/status"_json_pointer) == "Success") {
        result.exit_code = 0;
        return Status::Ok();
      }
      if (StringAt(status, "/reason"_json_pointer) == "NonZeroExitCode") {
        if (std::optional<int> code = ExitCodeCause(status)) {
          result.exit_code = *code;
          return Status::Ok();
        }
      }
      const std::string message = StringAt(status, "/message"_json_pointer);
      return Unavailable("exec: " + (message.empty() ? std::string("the command failed to run") : message));
    }
    default:
      return Internal("exec: a frame of unknown channel " + std::to_string(static_cast<unsigned char>(frame.front())));
  }
}

void WatchLines::Append(std::string_view chunk) {
  buffer_.erase(0, next_);  // the lines already returned; what is left is at most one partial line
  next_ = 0;
  buffer_.append(chunk);
}

std::optional<std::string_view> WatchLines::Next() {
  while (true) {
    const std::size_t end = buffer_.find('\n', next_);
    if (end == std::string::npos) return std::nullopt;
    const std::string_view line = std::string_view(buffer_).substr(next_, end - next_);
    next_ = end + 1;
    if (!line.empty()) return line;
  }
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
