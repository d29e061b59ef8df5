#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugin/arguments.h"
#include "plugin/completion.h"

namespace ks::plugin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

Invocation Parsed(const std::vector<std::string>& args) {
  StatusOr<Invocation> invocation = ParseArguments(args);
  EXPECT_TRUE(invocation.ok()) << invocation.status().message();
  return invocation.ok() ? *invocation : Invocation{};
}

TEST(PluginArguments, CreatePromptsForTheValueWhenNoSourceIsGiven) {
  const Invocation create = Parsed({"create", "db", "--name", "DB_PASSWORD"});
  EXPECT_EQ(create.command, "create");
  EXPECT_THAT(create.args, ElementsAre("db"));
  EXPECT_EQ(create.Flag("name"), "DB_PASSWORD");
  EXPECT_EQ(create.value_source, ValueSource::kPrompt);
}

TEST(PluginArguments, ValueSourcesOfEachCommand) {
  struct Case {
    std::vector<std::string> args;
    ValueSource source;
    std::string file;
  };
  const std::vector<Case> cases = {
      {{"create", "db", "--name=DB", "--from-stdin"}, ValueSource::kStdin, ""},
      {{"create", "db", "--name", "DB", "--from-file", "/tmp/v"}, ValueSource::kFile, "/tmp/v"},
      {{"create", "db", "--name", "DB", "--from-file=/tmp/v"}, ValueSource::kFile, "/tmp/v"},
      {{"clone", "a/db", "db", "--name", "DB"}, ValueSource::kNone, ""},
      {{"clone", "a/db", "db", "--name", "DB", "--value-from-stdin"}, ValueSource::kStdin, ""},
      {{"clone", "a/db", "db", "--name", "DB", "--value-from-file", "f"}, ValueSource::kFile, "f"},
      {{"edit", "db", "--name", "DB2"}, ValueSource::kNone, ""},
      {{"edit", "db", "--prompt"}, ValueSource::kPrompt, ""},
      {{"edit", "db", "--from-stdin"}, ValueSource::kStdin, ""},
  };
  for (const Case& c : cases) {
    const Invocation invocation = Parsed(c.args);
    EXPECT_EQ(invocation.value_source, c.source) << ::testing::PrintToString(c.args);
    EXPECT_EQ(invocation.value_file, c.file) << ::testing::PrintToString(c.args);
  }
}

TEST(PluginArguments, NamespaceAndKubeconfigGoAnywhere) {
  const Invocation before = Parsed({"-n", "team", "--kubeconfig", "/k", "share", "db", "--community", "c"});
  const Invocation after = Parsed({"share", "db", "--namespace=team", "--community", "c", "--kubeconfig=/k"});
  for (const Invocation& invocation : {before, after}) {
    EXPECT_EQ(invocation.ns, "team");
    EXPECT_EQ(invocation.kubeconfig, "/k");
    EXPECT_THAT(invocation.flags, ElementsAre(Pair("community", "c")));
  }
}

TEST(PluginArguments, HelpNeedsNoCompleteCommand) {
  EXPECT_TRUE(Parsed({"--help"}).help);
  const Invocation help = Parsed({"create", "-h"});
  EXPECT_TRUE(help.help);
  EXPECT_EQ(help.command, "create");
}

TEST(PluginArguments, UsageErrorsSayWhatIsWrongAndWhatIsAllowed) {
  struct Case {
    std::vector<std::string> args;
    std::string problem;
    std::string allowed;
  };
  const std::vector<Case> cases = {
      {{}, "no command given", "Commands:"},
      {{"destroy", "db"}, "unknown command \"destroy\"", "Commands:"},
      {{"--community", "c", "share"}, "flag --community must follow a command", "Commands:"},
      {{"create", "db"}, "create needs --name", "create NAME --name ENV_NAME"},
      {{"create", "--name", "DB"}, "create takes 1 argument(s), got 0", "create NAME"},
      {{"create", "db", "extra", "--name", "DB"}, "create takes 1 argument(s), got 2", "create NAME"},
      {{"create", "db", "--name", "DB", "--value", "s3cr3t"}, "unknown flag --value for create", "--from-stdin"},
      {{"create", "db", "--name", "DB", "--prompt"}, "unknown flag --prompt for create", "--from-file PATH"},
      {{"create", "db", "--name", "DB", "--from-stdin", "--from-file", "f"},
       "one source only",
       "--from-file PATH | --from-stdin"},
      {{"create", "db", "--name", "DB", "--from-stdin=yes"}, "flag --from-stdin takes no value", "create NAME"},
      {{"create", "db", "--name"}, "flag --name needs a value", "create NAME"},
      {{"edit", "db", "--name="}, "flag --name needs a value", "edit NAME"},
      {{"share", "db"}, "share needs --community", "share NAME --community COMMUNITY"},
      {{"unshare", "db", "--name", "x"}, "unknown flag --name for unshare", "unshare NAME --community"},
      {{"clone", "db", "copy", "--name", "DB"},
       "SOURCE_NS/SOURCE_NAME, not \"db\"",
       "clone SOURCE_NS/SOURCE_NAME NAME"},
      {{"clone", "a/b/c", "copy", "--name", "DB"}, "SOURCE_NS/SOURCE_NAME, not \"a/b/c\"", "clone"},
      {{"clone", "a/", "copy", "--name", "DB"}, "SOURCE_NS/SOURCE_NAME, not \"a/\"", "clone"},
      {{"edit", "db"}, "edit needs --name or a new value", "--prompt"},
      {{"delete"}, "delete takes 1 argument(s), got 0", "delete NAME"},
      {{"list", "extra"}, "list takes 0 argument(s), got 1", "list"},
      {{"status", "-n"}, "flag -n needs a value", "status"},
  };
  for (const Case& c : cases) {
    StatusOr<Invocation> invocation = ParseArguments(c.args);
    ASSERT_FALSE(invocation.ok()) << ::testing::PrintToString(c.args);
    EXPECT_EQ(invocation.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(invocation.status().message(), HasSubstr(c.problem)) << ::testing::PrintToString(c.args);
    EXPECT_THAT(invocation.status().message(), HasSubstr(c.allowed)) << ::testing::PrintToString(c.args);
  }
}

// A value typed on the command line by mistake must not be shown back.
TEST(PluginArguments, AnUnknownFlagIsNamedWithoutItsValue) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"create", "db", "--name", "DB", "--value=s3cr3t"},
                                               std::vector<std::string>{"--value=s3cr3t", "create", "db"}}) {
    StatusOr<Invocation> invocation = ParseArguments(args);
    ASSERT_FALSE(invocation.ok());
    EXPECT_THAT(invocation.status().message(), HasSubstr("--value"));
    EXPECT_EQ(invocation.status().message().find("s3cr3t"), std::string::npos) << ::testing::PrintToString(args);
  }
}

TEST(PluginArguments, ContextAndOutputFormat) {
  const Invocation list = Parsed({"list", "--context", "staging", "-o", "yaml"});
  EXPECT_EQ(list.context, "staging");
  EXPECT_EQ(list.output, "yaml");
  EXPECT_EQ(Parsed({"--context=prod", "status", "--output=json"}).context, "prod");
}

TEST(PluginArguments, OutputIsJsonOrYamlOnTheCommandsThatShowSomething) {
  StatusOr<Invocation> xml = ParseArguments({"list", "-o", "xml"});
  ASSERT_FALSE(xml.ok());
  EXPECT_THAT(xml.status().message(), HasSubstr("--output: must be json or yaml, not \"xml\""));
  StatusOr<Invocation> create = ParseArguments({"create", "db", "--name", "DB", "-o", "json"});
  ASSERT_FALSE(create.ok());
  EXPECT_THAT(create.status().message(), HasSubstr("unknown flag -o for create"));
}

TEST(PluginArguments, EveryCommandHasHelp) {
  for (const char* command : {"create", "list", "share", "unshare", "clone", "edit", "delete", "status"}) {
    const Invocation help = Parsed({command, "--help"});
    EXPECT_TRUE(help.help) << command;
    EXPECT_EQ(help.command, command);
    EXPECT_THAT(Usage(command), HasSubstr(std::string("Usage: kubectl kernel-secrets ") + command)) << command;
    EXPECT_THAT(Usage(command), HasSubstr("--kubeconfig FILE")) << command;
  }
}

TEST(PluginCompletion, CommandsWithTheirSummaries) {
  EXPECT_EQ(Complete({"sh"}), "share\tshare a secret into a community (community admins only)\n:4\n");
  const std::string all = Complete({""});
  EXPECT_THAT(all, HasSubstr("create\tcreate a secret"));
  EXPECT_THAT(all, HasSubstr("\nstatus\t"));
  EXPECT_TRUE(all.ends_with("\n:4\n")) << all;
}

TEST(PluginCompletion, FlagsOfTheCommandBeingTyped) {
  const std::string create = Complete({"-n", "team", "create", "db", "--from"});
  EXPECT_EQ(create, "--from-file\tread the value from a file\n--from-stdin\tread the value from standard input\n:4\n");
  EXPECT_THAT(Complete({"edit", "db", "--"}), HasSubstr("--prompt\t"));
  EXPECT_THAT(Complete({"list", "-"}), HasSubstr("-o\t"));
  EXPECT_THAT(Complete({"-"}), Not(HasSubstr("--from-stdin")));
}

// Never a value: a flag's value is the user's, except -o's formats and the paths the shell knows.
TEST(PluginCompletion, ValuesOnlyForFormatsAndPaths) {
  EXPECT_EQ(Complete({"list", "-o", ""}), "json\nyaml\n:4\n");
  EXPECT_EQ(Complete({"status", "--output", "y"}), "yaml\n:4\n");
  EXPECT_EQ(Complete({"create", "db", "--from-file", ""}), ":0\n");
  EXPECT_EQ(Complete({"--kubeconfig", "/etc/"}), ":0\n");
  EXPECT_EQ(Complete({"create", "db", "--name", ""}), ":4\n");
  EXPECT_EQ(Complete({"share", "db", "-n", "te"}), ":4\n");
  EXPECT_EQ(Complete({"delete", ""}), ":4\n");
}

TEST(PluginArguments, CloneSourceIsNamespaceAndName) {
  StatusOr<api::ObjectKey> source = ParseSourceSecret("team-a/db");
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(source->ns, "team-a");
  EXPECT_EQ(source->name, "db");
  EXPECT_FALSE(ParseSourceSecret("/db").ok());
}

TEST(PluginArguments, NamespaceFlagWinsOverContextThenDefault) {
  EXPECT_EQ(ResolveNamespace("flag", "context"), "flag");
  EXPECT_EQ(ResolveNamespace("", "context"), "context");
  EXPECT_EQ(ResolveNamespace("", ""), "default");
}

}  // namespace
}  // namespace ks::plugin
