// The API server's answers as Status: HTTP codes to canonical codes with the server's message,
// and watch stream lines to events or errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/kube/wire.h"

namespace ks::kube {
namespace {

std::string ApiStatus(int code, const std::string& reason, const std::string& message) {
  return nlohmann::json{{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"},
                        {"code", code},     {"reason", reason},   {"message", message}}
      .dump();
}

struct HttpCase {
  int http_status;
  std::string reason;
  StatusCode expected;
};

class StatusFromHttpTest : public ::testing::TestWithParam<HttpCase> {};

TEST_P(StatusFromHttpTest, MapsTheCodeAndKeepsTheServersMessage) {
  const HttpCase& c = GetParam();
  Status status = StatusFromHttp(c.http_status, ApiStatus(c.http_status, c.reason, "what the server said"));
  EXPECT_EQ(status.code(), c.expected) << c.http_status << " " << c.reason;
  EXPECT_EQ(status.message(), "what the server said");
}

INSTANTIATE_TEST_SUITE_P(Wire, StatusFromHttpTest,
                         ::testing::Values(HttpCase{400, "BadRequest", StatusCode::kInvalidArgument},
                                           HttpCase{401, "Unauthorized", StatusCode::kUnauthenticated},
                                           HttpCase{403, "Forbidden", StatusCode::kPermissionDenied},
                                           HttpCase{404, "NotFound", StatusCode::kNotFound},
                                           HttpCase{409, "AlreadyExists", StatusCode::kAlreadyExists},
                                           HttpCase{409, "Conflict", StatusCode::kConflict},
                                           HttpCase{410, "Expired", StatusCode::kGone},
                                           HttpCase{422, "Invalid", StatusCode::kInvalidArgument},
                                           HttpCase{429, "TooManyRequests", StatusCode::kUnavailable},
                                           HttpCase{500, "InternalError", StatusCode::kUnavailable},
                                           HttpCase{503, "ServiceUnavailable", StatusCode::kUnavailable},
                                           HttpCase{504, "Timeout", StatusCode::kUnavailable},
                                           HttpCase{415, "UnsupportedMediaType", StatusCode::kInvalidArgument}));

TEST(Wire, TheHttpCodeWinsOverTheCodeInTheBody) {
  EXPECT_EQ(StatusFromHttp(404, ApiStatus(500, "NotFound", "gone")).code(), StatusCode::kNotFound);
}

TEST(Wire, ABodyThatIsNoStatusIsQuotedShortened) {
  Status status = StatusFromHttp(502, std::string(1000, 'x'));
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "HTTP 502: " + std::string(200, 'x'));
  EXPECT_EQ(StatusFromHttp(503, "").message(), "HTTP 503");
}

TEST(Wire, ParsesAWatchEventLine) {
  StatusOr<WatchEvent> event =
      ParseWatchEvent(R"({"type":"MODIFIED","object":{"kind":"ConfigMap","metadata":{"name":"a"}}})");
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->type, "MODIFIED");
  EXPECT_EQ(event->object["metadata"]["name"], "a");
}

TEST(Wire, AnErrorEventWithCode410IsGone) {
  StatusOr<WatchEvent> event = ParseWatchEvent(
      R"j({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version: 1 (42)"}})j");
  EXPECT_EQ(event.status().code(), StatusCode::kGone);
  EXPECT_EQ(event.status().message(), "too old resource version: 1 (42)");
}

TEST(Wire, AnErrorEventWithAnotherCodeKeepsItsMeaning) {
  StatusOr<WatchEvent> event =
      ParseWatchEvent(R"({"type":"ERROR","object":{"kind":"Status","code":500,"message":"etcd is down"}})");
  EXPECT_EQ(event.status().code(), StatusCode::kUnavailable);
}

TEST(Wire, ALineThatIsNoEventIsInternal) {
  for (const char* line : {"not json", "[]", R"({"type":"ADDED"})", R"({"type":1,"object":{}})"}) {
    EXPECT_EQ(ParseWatchEvent(line).status().code(), StatusCode::kInternal) << line;
  }
}

std::string Frame(char channel, std::string_view payload) { return std::string(1, channel) + std::string(payload); }

TEST(Wire, ExecFramesCollectOutputUntilTheCommandEnds) {
  ExecResult result;
  ASSERT_TRUE(ReadExecFrame(Frame(1, "out "), result).ok());
  ASSERT_TRUE(ReadExecFrame("", result).ok()) << "an empty frame is a keep-alive";
  ASSERT_TRUE(ReadExecFrame(Frame(2, "err"), result).ok());
  ASSERT_TRUE(ReadExecFrame(Frame(1, "more"), result).ok());
  EXPECT_FALSE(result.exit_code);
  ASSERT_TRUE(ReadExecFrame(Frame(3, R"({"metadata": {}, "status": "Success"})"), result).ok());
  EXPECT_EQ(result.out, "out more");
  EXPECT_EQ(result.err, "err");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Wire, ANonZeroExitIsACodeAndAFailureToRunIsAnError) {
  ExecResult exited;
  ASSERT_TRUE(ReadExecFrame(Frame(3, R"({"status": "Failure", "reason": "NonZeroExitCode",
      "details": {"causes": [{"reason": "ExitCode", "message": "7"}]}})"),
                            exited)
                  .ok());
  EXPECT_EQ(exited.exit_code, 7);

  ExecResult not_run;
  const Status failed =
      ReadExecFrame(Frame(3, R"({"status": "Failure", "message": "executable file not found in $PATH"})"), not_run);
  EXPECT_EQ(failed.code(), StatusCode::kUnavailable);
  EXPECT_NE(failed.message().find("executable file not found"), std::string::npos);
  EXPECT_FALSE(not_run.exit_code);
  EXPECT_FALSE(ReadExecFrame(Frame(3, "not json"), not_run).ok());
  EXPECT_FALSE(ReadExecFrame(Frame(9, "x"), not_run).ok()) << "an unknown channel";
}

// Every line comes out once and whole, however the stream is cut into chunks.
TEST(Wire, WatchLinesAreWholeWhereverTheChunksEnd) {
  const std::string stream = "{\"a\":1}\n\n{\"b\":22}\n{\"c\":333}\n{\"d\"";
  for (std::size_t size = 1; size <= stream.size(); ++size) {
    WatchLines lines;
    std::vector<std::string> seen;
    for (std::size_t at = 0; at < stream.size(); at += size) {
      lines.Append(std::string_view(stream).substr(at, size));
      while (std::optional<std::string_view> line = lines.Next()) seen.emplace_back(*line);
    }
    EXPECT_THAT(seen, ::testing::ElementsAre("{\"a\":1}", "{\"b\":22}", "{\"c\":333}")) << "chunks of " << size;
    EXPECT_EQ(lines.Unterminated(), "{\"d\"") << "chunks of " << size;
  }
}

TEST(Wire, WatchLinesWaitForTheNewline) {
  WatchLines lines;
  lines.Append("{\"type\":");
  EXPECT_FALSE(lines.Next());
  lines.Append("\"ADDED\"}");
  EXPECT_FALSE(lines.Next());
  EXPECT_EQ(lines.Unterminated(), "{\"type\":\"ADDED\"}");
  lines.Append("\n");
  EXPECT_EQ(lines.Next(), "{\"type\":\"ADDED\"}");
  EXPECT_FALSE(lines.Next());
  EXPECT_EQ(lines.Unterminated(), "");
}

}  // namespace
}  // namespace ks::kube
