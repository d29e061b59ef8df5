#include "injector/flags.h"

#include <gtest/gtest.h>

namespace ks::injector {
namespace {

TEST(InjectorFlags, DefaultsNeedOnlyTheCertificate) {
  auto flags = ParseFlags({"--tls-cert", "c.pem", "--tls-key", "k.pem"});
  ASSERT_TRUE(flags.ok()) << flags.status().ToString();
  EXPECT_EQ(flags->tls_cert, "c.pem");
  EXPECT_EQ(flags->tls_key, "k.pem");
  EXPECT_EQ(flags->bind_address, "127.0.0.1");
  EXPECT_EQ(flags->port, 8443);
  EXPECT_EQ(flags->kernel_selector.key, "kernelsecrets.dev/inject");
  EXPECT_EQ(flags->kernel_selector.value, "true");
  EXPECT_EQ(flags->log_format, LogFormat::kText);
  EXPECT_EQ(flags->kubeconfig, "");
}

TEST(InjectorFlags, ReadsEveryFlagWithSpaceOrEquals) {
  auto flags = ParseFlags({"--kubeconfig", "/tmp/kc", "--tls-cert=c", "--tls-key", "k", "--bind-address", "0.0.0.0",
                           "--port=9443", "--kernel-selector", "component=kernel", "--log-format", "json"});
  ASSERT_TRUE(flags.ok()) << flags.status().ToString();
  EXPECT_EQ(flags->kubeconfig, "/tmp/kc");
  EXPECT_EQ(flags->bind_address, "0.0.0.0");
  EXPECT_EQ(flags->port, 9443);
  EXPECT_EQ(flags->kernel_selector.key, "component");
  EXPECT_EQ(flags->log_format, LogFormat::kJson);
}

TEST(InjectorFlags, HelpNeedsNothingElse) {
  auto flags = ParseFlags({"--help"});
  ASSERT_TRUE(flags.ok());
  EXPECT_TRUE(flags->help);
  for (const char* flag : {"--kubeconfig", "--tls-cert", "--tls-key", "--bind-address", "--port",
                           "--kernel-selector", "--log-format"}) {
    EXPECT_NE(Usage().find(flag), std::string::npos) << flag;
  }
}

TEST(InjectorFlags, RefusesBadInputNamingTheFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<std::string> tls = {"--tls-cert", "c", "--tls-key", "k"};
  auto with_tls = [&tls](std::vector<std::string> args) {
    args.insert(args.end(), tls.begin(), tls.end());
    return args;
  };
  const std::vector<Case> cases = {
      {{}, "--tls-cert and --tls-key are required"},
      {with_tls({"--port", "70000"}), "--port"},
      {with_tls({"--port", "84a3"}), "--port"},
      {with_tls({"--log-format", "yaml"}), "--log-format"},
      {with_tls({"--kernel-selector", "component"}), "--kernel-selector"},
      {with_tls({"--verbose", "1"}), "unknown flag --verbose"},
      {{"--tls-cert", "c", "--tls-key"}, "--tls-key needs a value"},
  };
  for (const auto& c : cases) {
    auto flags = ParseFlags(c.args);
    ASSERT_FALSE(flags.ok()) << c.message;
    EXPECT_NE(flags.status().message().find(c.message), std::string::npos) << flags.status().message();
  }
}

}  // namespace
}  // namespace ks::injector
