#include "plugin/command_tree.h"

#include <algorithm>

#include "core/common/flags.h"

namespace ks::plugin {
namespace {

constexpr char kPlugin[] = "kubectl kernel-secrets";

constexpr ValuedFlag kVariableFlag{"name", "ENV_NAME", "the environment variable kernels get the value in"};
constexpr ValuedFlag kCommunityFlag{"community", "COMMUNITY", "the community, as in the namespaces' label"};

const std::vector<Grammar>& Grammars() {
  static const std::vector<Grammar> grammars = {
      {.command = "create",
       .synopsis = "create NAME --name ENV_NAME [--from-file PATH | --from-stdin]",
       .summary = "create a secret; without a source, prompts for the value with echo off",
       .positionals = 1,
       .valued_flags = {kVariableFlag},
       .required_flags = {"name"},
       .source_flags = {{"from-file", ValueSource::kFile}, {"from-stdin", ValueSource::kStdin}},
       .default_source = ValueSource::kPrompt},
      {.command = "list",
       .synopsis = "list [-o json|yaml]",
       .summary = "list the project's secrets and those shared into its community (values as ***)",
       .shows_objects = true},
      {.command = "share",
       .synopsis = "share NAME --community COMMUNITY",
       .summary = "share a secret into a community (community admins only)",
       .positionals = 1,
       .valued_flags = {kCommunityFlag},
       .required_flags = {"community"}},
      {.command = "unshare",
       .synopsis = "unshare NAME --community COMMUNITY",
       .summary = "stop sharing a secret into a community",
       .positionals = 1,
       .valued_flags = {kCommunityFlag},
       .required_flags = {"community"}},
      {.command = "clone",
       .synopsis = "clone SOURCE_NS/SOURCE_NAME NAME --name ENV_NAME [--value-from-file PATH | --value-from-stdin]",
       .summary = "copy a secret visible to the project, optionally with a new value",
       .positionals = 2,
       .valued_flags = {kVariableFlag},
       .required_flags = {"name"},
       .source_flags = {{"value-from-file", ValueSource::kFile}, {"value-from-stdin", ValueSource::kStdin}},
       .source_argument = true},
      {.command = "edit",
       .synopsis = "edit NAME [--name NEW_ENV_NAME] [--from-file PATH | --from-stdin | --prompt]",
       .summary = "rename a secret's variable and/or replace its value",
       .positionals = 1,
       .valued_flags = {kVariableFlag},
       .source_flags = {{"from-file", ValueSource::kFile},
                        {"from-stdin", ValueSource::kStdin},
                        {"prompt", ValueSource::kPrompt}},
       .needs_change = true},
      {.command = "delete",
       .synopsis = "delete NAME",
       .summary = "delete a secret and wait until it is gone",
       .positionals = 1},
      {.command = "status",
       .synopsis = "status [-o json|yaml]",
       .summary = "show which running kernels need a restart to see the current secrets",
       .shows_objects = true},
  };
  return grammars;
}


std::string SourceHelp(ValueSource source) {
  switch (source) {
    case ValueSource::kFile:
      return "read the value from a file";
    case ValueSource::kStdin:
      return "read the value from standard input";
    case ValueSource::kPrompt:
      return "prompt for the value on the terminal, echo off";
    case ValueSource::kNone:
      break;
  }
  return "";
}

// --help in the plugin's own words: each command's synopsis as its usage line, and the commands
// listed by synopsis, as kubectl's help reads.
class PluginHelp : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App* app, std::string) const override {
    const Grammar* grammar = FindGrammar(app->get_name());
    return "Usage: " + std::string(kPlugin) + " " +
           std::string(grammar ? grammar->synopsis : "COMMAND [ARGS] [FLAGS]") + "\n";
  }
  std::string make_subcommand(const CLI::App* sub) const override {
    return "  " + std::string(FindGrammar(sub->get_name())->synopsis) + "\n      " + sub->get_description() + "\n";
  }
};

constexpr char kEveryCommand[] = "Flags of every command";

// -n, --kubeconfig and --context, which kubectl takes before or after the command: every level of
// the tree has them, bound to the same fields, so that an unknown flag stays with its command.
void AddGlobalFlags(CLI::App& app, Invocation& invocation) {
  app.get_help_ptr()->group(kEveryCommand);
  app.add_option("-n,--namespace", invocation.ns, "the project (default: the kubeconfig context's namespace)")
      ->type_name("NS")
      ->group(kEveryCommand);
  app.add_option("--kubeconfig", invocation.kubeconfig, "the kubeconfig (default: $KUBECONFIG, then ~/.kube/config)")
      ->type_name("FILE")
      ->group(kEveryCommand);
  app.add_option("--context", invocation.context, "the kubeconfig context (default: its current-context)")
      ->type_name("CONTEXT")
      ->group(kEveryCommand);
}

void AddCommand(CLI::App& app, const Grammar& grammar, ParseState& state) {
  CLI::App* sub = app.add_subcommand(std::string(grammar.command), std::string(grammar.summary));
  sub->group("Commands");
  sub->allow_extras();  // unknown flags are ours to report, naming the command
  AddGlobalFlags(*sub, state.invocation);
  Invocation& invocation = state.invocation;
  // Counted after the parse (CheckComplete), so that the message says how many it takes.
  sub->add_option("args", invocation.args)->group("");
  for (const ValuedFlag& flag : grammar.valued_flags) {
    const std::string name(flag.name);
    sub->add_option_function<std::string>(
           "--" + name, [&invocation, name](const std::string& value) { invocation.flags[name] = value; },
           std::string(flag.help))
        ->type_name(std::string(flag.placeholder));
  }
  for (const SourceFlag& flag : grammar.source_flags) {
    const std::string name = "--" + std::string(flag.name);
    const ValueSource source = flag.source;
    auto choose = [&state, name, source] {
      state.sources_given.push_back(name);
      state.invocation.value_source = source;
    };
    if (source == ValueSource::kFile) {
      sub->add_option_function<std::string>(
             name,
             [&state, choose](const std::string& path) {
               choose();
               state.invocation.value_file = path;
             },
             SourceHelp(source))
          ->type_name("PATH");
    } else {
      sub->add_flag_callback(name, choose, SourceHelp(source))->disable_flag_override();
    }
  }
  if (grammar.shows_objects) {
    sub->add_option("-o,--output", invocation.output, "print json or yaml instead of a table")
        ->type_name("FORMAT")
        ->check(OneOf({"json", "yaml"}));
  }
}

}  // namespace

const Grammar* FindGrammar(std::string_view command) {
  const auto& grammars = Grammars();
  auto it = std::find_if(grammars.begin(), grammars.end(), [&](const Grammar& g) { return g.command == command; });
  return it == grammars.end() ? nullptr : &*it;
}

std::unique_ptr<CLI::App> CommandTree(ParseState& state) {
  auto app = std::make_unique<CLI::App>("", kPlugin);
  app->formatter(std::make_shared<PluginHelp>());
  app->option_defaults()->group("Flags");
  app->allow_extras();
  AddGlobalFlags(*app, state.invocation);
  for (const Grammar& grammar : Grammars()) AddCommand(*app, grammar, state);
  return app;
}

const CLI::Option* FindFlag(const CLI::App& app, const std::string& name) {
  if (!name.starts_with("-")) return nullptr;
  return app.get_option_no_throw(name);
}

bool TakesValue(const CLI::Option& flag) { return flag.get_items_expected_max() > 0; }

}  // namespace ks::plugin
