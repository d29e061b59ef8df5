// --drain-timeout, the serving flag that bounds a stopping server's drain.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/common/flags.h"
#include "core/https/server_flags.h"

namespace ks::https {
namespace {

StatusOr<ServerOptions> Parse(std::vector<const char*> args) {
  Flags flags("test");
  DefineServerFlags(flags);
  args.insert(args.begin(), "binary");
  if (Status parsed = flags.Parse(static_cast<int>(args.size()), args.data()); !parsed.ok()) return parsed;
  return ServerOptionsFromFlags(flags);
}

// The default stays well below the 30 s terminationGracePeriodSeconds of the chart's pods.
TEST(HttpsServerDrainFlag, DefaultsToFiveSeconds) {
  StatusOr<ServerOptions> options = Parse({});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->drain_timeout, std::chrono::seconds(5));
}

TEST(HttpsServerDrainFlag, TakesSecondsAndZero) {
  StatusOr<ServerOptions> options = Parse({"--drain-timeout", "12"});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->drain_timeout, std::chrono::seconds(12));

  options = Parse({"--drain-timeout=0"});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->drain_timeout, std::chrono::seconds(0));
}

TEST(HttpsServerDrainFlag, RefusesANegativeAHugeOrAFractionalTimeout) {
  for (const char* value : {"-1", "301", "2.5", "5s"}) {
    StatusOr<ServerOptions> options = Parse({"--drain-timeout", value});
    ASSERT_FALSE(options.ok()) << value;
    EXPECT_EQ(options.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(options.status().message().find("--drain-timeout"), std::string::npos) << options.status().message();
  }
}

}  // namespace
}  // namespace ks::https
