// The API server's wire formats, as pure functions: an answer becomes a Status (the HTTP code picks
// the canonical code, 409 is AlreadyExists or Conflict by the Status reason, the message is the API
// server's Status.message), and a watch stream line becomes a WatchEvent.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/status.h"
#include "core/kube/client.h"

namespace ks::kube {

// `body` is the response body, usually a meta/v1 Status; other bodies are quoted, shortened.
Status StatusFromHttp(int http_status, std::string_view body);

// A meta/v1 Status object, as a watch ERROR event carries it.
Status StatusFromApiStatus(const nlohmann::json& status);

// One frame of pods/exec's channel protocol (v4.channel.k8s.io): its first byte is the channel,
// 1 stdout and 2 stderr (appended to `result`), 3 the command's end, a meta/v1 Status that gives
// result.exit_code (0 on Success, the ExitCode cause's number on NonZeroExitCode). A Status of any
// other failure (the container is gone, the command not found) is returned as an error; so is a
// frame of an unknown channel.
Status ReadExecFrame(std::string_view frame, ExecResult& result);

// One line of a watch stream. An ERROR event becomes its Status (Gone for 410); a line that is not
// an event is Internal.
StatusOr<WatchEvent> ParseWatchEvent(std::string_view line);

// The lines of a watch stream, as its bytes arrive in chunks of any size (one event per line; a
// chunk may end inside an event, or hold many).
class WatchLines {
 public:
  void Append(std::string_view chunk);
  // The next whole line without its newline, empty lines skipped; valid until the next Append.
  std::optional<std::string_view> Next();
  // What follows the last newline: a last line the stream ended without terminating.
  std::string_view Unterminated() const { return std::string_view(buffer_).substr(next_); }

 private:
  std::string buffer_;
  std::size_t next_ = 0;  // where the first line not yet returned starts
};

}  // namespace ks::kube
