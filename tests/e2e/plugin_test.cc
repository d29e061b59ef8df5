// The kubectl plugin end to end: `kubectl-kernel_secrets`, the binary built beside this test,
// driving the product against the local control plane. Values go in on standard input only and
// must never come back out of the plugin.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "support/local_cluster.h"
#include "tests/e2e/notebook_server.h"
#include "tests/e2e/project.h"

namespace ks::e2e {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

// The plugin is built into the same bin/ folder as this test binary.
std::string PluginPath() {
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "kubectl-kernel_secrets").string();
}

class Plugin : public ProjectsTest {
 protected:
  // Runs the plugin in project A (or `ns`) and checks that no value it was ever given came back.
  CommandResult Run(std::vector<std::string> args, const std::string& input = "", const std::string& ns = "") {
    args.insert(args.begin(), PluginPath());
    args.insert(args.end(), {"-n", ns.empty() ? project_a_ : ns});
    CommandResult r = RunCommand(args, input);
    for (const std::string& value : given_) {
      // find, not HasSubstr: a failing matcher would print the output, value and all.
      EXPECT_EQ((r.out + r.err).find(value), std::string::npos) << "the plugin printed a secret's value";
    }
    return r;
  }

  // A fresh value, remembered so that every later plugin output is checked for it.
  std::string Value() { return given_.emplace_back(NewSecretValue()); }

  // Creates secret `name` in project A from standard input, the way a script would.
  std::string CreateSecret(const std::string& name, const std::string& variable) {
    const std::string value = Value();
    CommandResult r = Run({"create", name, "--name", variable, "--from-stdin"}, value + "\n");
    EXPECT_TRUE(r.ok()) << r.err;
    EXPECT_EQ(r.out, "secret " + name + " created\n");
    return value;
  }

  bool EventuallyNativeHas(const std::string& ns, const std::string& variable,
                           const std::optional<std::string>& value) {
    return testing::Eventually([&] {
      std::map<std::string, std::string> data = NativeSecretData(ns);
      auto it = data.find(variable);
      return value ? it != data.end() && it->second == *value : it == data.end();
    });
  }

  std::vector<std::string> given_;
};

TEST_F(Plugin, CreateFromStdinReachesTheProjectAndListShowsStars) {
  const std::string value = CreateSecret("db", "DB-PASSWORD");
  ASSERT_TRUE(EventuallyNativeHas(project_a_, "DB-PASSWORD", value));

  CommandResult list = Run({"list"});
  ASSERT_TRUE(list.ok()) << list.err;
  EXPECT_THAT(list.out, HasSubstr("VALUE"));
  EXPECT_THAT(list.out, ContainsRegex("db +DB-PASSWORD +\\*\\*\\* "));

  // Through kubectl itself, which finds the plugin on PATH by its file name.
  const std::string bin = std::filesystem::path(PluginPath()).parent_path().string();
  CommandResult via_kubectl =
      RunCommand({"env", "PATH=" + bin + ":" + getenv("PATH"), "kubectl", "kernel-secrets", "list", "-n", project_a_});
  ASSERT_TRUE(via_kubectl.ok()) << via_kubectl.err;
  EXPECT_EQ(via_kubectl.out, list.out);
  EXPECT_EQ(via_kubectl.out.find(value), std::string::npos) << "kubectl kernel-secrets printed a secret's value";
  ExpectNoPlaintextAnywhere();
}

TEST_F(Plugin, EditRenamesAndReplacesTheValue) {
  CreateSecret("api", "API-KEY");
  const std::string edited = Value();
  CommandResult r = Run({"edit", "api", "--name", "API-TOKEN", "--from-stdin"}, edited);
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(r.out, "secret api edited\n");
  EXPECT_TRUE(EventuallyNativeHas(project_a_, "API-TOKEN", edited));
  EXPECT_FALSE(NativeSecretData(project_a_).contains("API-KEY"));
}

TEST_F(Plugin, CloneCopiesContentOrTakesANewValue) {
  const std::string original = CreateSecret("api", "API-KEY");
  CommandResult copy = Run({"clone", project_a_ + "/api", "api-copy", "--name", "API-KEY-COPY"});
  ASSERT_TRUE(copy.ok()) << copy.err;
  EXPECT_EQ(copy.out, "secret api-copy created as a copy of " + project_a_ + "/api\n");
  EXPECT_TRUE(EventuallyNativeHas(project_a_, "API-KEY-COPY", original));

  const std::string replaced = Value();
  CommandResult with_value =
      Run({"clone", project_a_ + "/api", "api-new", "--name", "API-KEY-NEW", "--value-from-stdin"}, replaced);
  ASSERT_TRUE(with_value.ok()) << with_value.err;
  EXPECT_TRUE(EventuallyNativeHas(project_a_, "API-KEY-NEW", replaced));
}

TEST_F(Plugin, DeleteWaitsUntilTheSecretIsDestroyed) {
  const std::string value = CreateSecret("old", "OLD-KEY");
  ASSERT_TRUE(EventuallyNativeHas(project_a_, "OLD-KEY", value));
  CommandResult r = Run({"delete", "old"});
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(r.out, "Secret destroyed\n");
  EXPECT_TRUE(admin_.Get({"ksecret", "old", "-n", project_a_}).is_null()) << "the object outlived the command";
  EXPECT_FALSE(NativeSecretData(project_a_).contains("OLD-KEY"));
}

TEST_F(Plugin, StatusTellsWhichKernelsNeedARestart) {
  const std::string value = CreateSecret("db", "DB-PASSWORD");
  ASSERT_TRUE(EventuallyNativeHas(project_a_, "DB-PASSWORD", value));
  const std::string before = CreateKernelPod(project_a_)["metadata"]["name"];
  CommandResult fresh = Run({"status"});
  ASSERT_TRUE(fresh.ok()) << fresh.err;
  EXPECT_THAT(fresh.out, ContainsRegex(before + " +[0-9a-f]+ +yes\n"));

  const std::string edited = Value();
  ASSERT_TRUE(Run({"edit", "db", "--from-stdin"}, edited).ok());
  ASSERT_TRUE(EventuallyNativeHas(project_a_, "DB-PASSWORD", edited));
  const std::string after = CreateKernelPod(project_a_)["metadata"]["name"];
  CommandResult stale = Run({"status"});
  ASSERT_TRUE(stale.ok()) << stale.err;
  EXPECT_THAT(stale.out, ContainsRegex(before + " +[0-9a-f]+ +restart needed\n"));
  EXPECT_THAT(stale.out, ContainsRegex(after + " +[0-9a-f]+ +yes\n"));
}

TEST_F(Plugin, StatusTellsWhichKernelsInsideANotebookServerNeedARestart) {
  const std::string value = CreateSecret("db", "DB-PASSWORD");
  // Before the server starts: a server whose pod started before the operator wrote the value has
  // an empty volume until the kubelet's next sync of it (up to a minute or more), and a kernel
  // started then is rightly shown as needing a restart.
  ASSERT_TRUE(EventuallyNativeHas(project_a_, "DB-PASSWORD", value));
  NotebookServer server(project_a_);
  const std::string kernel = server.StartKernel();
  ASSERT_FALSE(kernel.empty());
  const std::string pod = server.pod()["metadata"]["name"];
  const std::string row = pod + " +" + kernel.substr(0, 8) + " +[0-9a-f]+ +";
  CommandResult fresh = Run({"status"});
  ASSERT_TRUE(fresh.ok()) << fresh.err;
  EXPECT_THAT(fresh.out, ContainsRegex("NOTEBOOK-SERVER +KERNEL +REVISION +UP-TO-DATE\n" + row + "yes\n"));
  EXPECT_THAT(fresh.out, Not(ContainsRegex("^" + pod + " "))) << "a notebook server is not listed as a kernel pod";

  const std::string edited = Value();
  ASSERT_TRUE(Run({"edit", "db", "--from-stdin"}, edited).ok());
  ASSERT_TRUE(EventuallyNativeHas(project_a_, "DB-PASSWORD", edited));
  CommandResult stale = Run({"status"});
  ASSERT_TRUE(stale.ok()) << stale.err;
  EXPECT_THAT(stale.out, ContainsRegex(row + "restart needed\n"));

  EXPECT_TRUE(testing::Eventually(
      [&] {
        server.RestartKernel(kernel);
        return std::regex_search(Run({"status"}).out, std::regex(row + "yes\n"));
      },
      std::chrono::seconds(30)))
      << "a restarted kernel is not shown up to date";
}

TEST_F(Plugin, ShareShowsTheSecretInTheOtherProjectUntilUnshared) {
  const std::string value = CreateSecret("token", "SHARED-TOKEN");
  CommandResult shared = Run({"share", "token", "--community", community_});  // the admin is a community admin
  ASSERT_TRUE(shared.ok()) << shared.err;
  ASSERT_TRUE(EventuallyNativeHas(project_b_, "SHARED-TOKEN", value));
  EXPECT_THAT(Run({"list"}).out, ContainsRegex("token +SHARED-TOKEN +\\*\\*\\* .* " + community_ + " "));
  EXPECT_THAT(Run({"list"}, "", project_b_).out, HasSubstr("shared from " + project_a_));

  CommandResult unshared = Run({"unshare", "token", "--community", community_});
  ASSERT_TRUE(unshared.ok()) << unshared.err;
  EXPECT_TRUE(EventuallyNativeHas(project_b_, "SHARED-TOKEN", std::nullopt));
  EXPECT_FALSE(Run({"unshare", "token", "--community", community_}).ok()) << "nothing is left to unshare";
}

TEST_F(Plugin, RefusalsComeWithTheServersMessageAndUsageErrorsWithExitCode2) {
  const std::string value = Value();
  CommandResult bad_name = Run({"create", "bad", "--name", "1-starts-with-a-digit", "--from-stdin"}, value);
  EXPECT_EQ(bad_name.exit_code, 1);
  EXPECT_THAT(bad_name.err, HasSubstr("starts with a letter"));
  EXPECT_TRUE(admin_.Get({"ksecret", "bad", "-n", project_a_}).is_null());

  CommandResult usage = Run({"create", "x", "--name", "X-KEY", "--value", value});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.err, HasSubstr("unknown flag --value"));
  EXPECT_THAT(usage.err, HasSubstr("--from-stdin"));

  CommandResult no_terminal = Run({"create", "x", "--name", "X-KEY"});  // no tty in tests: no prompt possible
  EXPECT_EQ(no_terminal.exit_code, 1);
  EXPECT_THAT(no_terminal.err, HasSubstr("--from-stdin"));
}

}  // namespace
}  // namespace ks::e2e
