// The API server's wire formats, as pure functions: an answer becomes a Status (the HTTP code picks
// the canonical code, 409 is AlreadyExists or Conflict by the Status reason, the message is the API
// server's Status.message), and a watch stream line becomes a WatchEvent.
#pragma once

#include <nlohmann/json.hpp>
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

}  // namespace ks::kube
