// The serving flags both binaries share, parsed into ServerOptions.
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
  std::string kubeconfig;
  ServerOptions options;
  DefineServerFlags(flags, kubeconfig, options);
  args.insert(args.begin(), "binary");
  if (Status parsed = ParseCommandLine(flags, static_cast<int>(args.size()), args.data()).status(); !parsed.ok()) {
    return parsed;
  }
  return options;
}

TEST(HttpsServerFlags, DefaultsServeOnLoopback8443WithoutSharingThePort) {
  StatusOr<ServerOptions> options = Parse({});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->bind_address, "127.0.0.1");
  EXPECT_EQ(options->port, 8443);
  EXPECT_FALSE(options->reuse_port);
  EXPECT_EQ(options->cert_file, "/etc/kernel-secrets/tls/tls.crt");
  EXPECT_EQ(options->key_file, "/etc/kernel-secrets/tls/tls.key");
}

TEST(HttpsServerFlags, TakesAddressPortAndReusePort) {
  StatusOr<ServerOptions> options = Parse({"--bind-address", "127.0.0.1", "--port=9443", "--reuse-port", "true"});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->port, 9443);
  EXPECT_TRUE(options->reuse_port);

  options = Parse({"--reuse-port=false"});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_FALSE(options->reuse_port);
}

// A bare --reuse-port would swallow the next word as its value; only true and false are accepted,
// so that mistake fails at start-up instead of running with a port the replicas cannot share.
TEST(HttpsServerFlags, RefusesAReusePortThatIsNotTrueOrFalse) {
  for (const char* value : {"yes", "1", "--port", ""}) {
    StatusOr<ServerOptions> options = Parse({"--reuse-port", value});
    ASSERT_FALSE(options.ok()) << value;
    EXPECT_EQ(options.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(options.status().message().find("--reuse-port"), std::string::npos) << options.status().message();
  }
}

TEST(HttpsServerFlags, RefusesAPortOutOfRange) {
  StatusOr<ServerOptions> options = Parse({"--port", "65536"});
  ASSERT_FALSE(options.ok());
  EXPECT_NE(options.status().message().find("--port"), std::string::npos) << options.status().message();
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

TEST(HttpsServerLimitFlags, DefaultsTo256ConnectionsAndNoClientCertificate) {
  StatusOr<ServerOptions> options = Parse({});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->max_connections, 256u);
  EXPECT_EQ(options->client_ca_file, "");
  EXPECT_TRUE(options->client_names.empty());
}

TEST(HttpsServerLimitFlags, TakesMaxConnectionsAndRefusesZero) {
  StatusOr<ServerOptions> options = Parse({"--max-connections", "32"});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->max_connections, 32u);
  for (const char* value : {"0", "-1", "many"}) {
    options = Parse({"--max-connections", value});
    ASSERT_FALSE(options.ok()) << value;
    EXPECT_NE(options.status().message().find("--max-connections"), std::string::npos) << options.status().message();
  }
}

TEST(HttpsServerClientFlags, TakesTheClientCaAndCommaSeparatedNames) {
  StatusOr<ServerOptions> options =
      Parse({"--client-ca", "/pki/webhook-client-ca.crt", "--client-names", "kernel-secrets-apiserver,,second,"});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->client_ca_file, "/pki/webhook-client-ca.crt");
  EXPECT_EQ(options->client_names, (std::vector<std::string>{"kernel-secrets-apiserver", "second"}));
}

// Names without a CA would check nothing: any client may present any name unverified.
TEST(HttpsServerClientFlags, RefusesClientNamesWithoutAClientCa) {
  StatusOr<ServerOptions> options = Parse({"--client-names", "kernel-secrets-apiserver"});
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(options.status().message().find("--client-ca"), std::string::npos) << options.status().message();
}

}  // namespace
}  // namespace ks::https
