#include "plugin/arguments.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>

#include "core/common/flags.h"

namespace ks::plugin {
namespace {

constexpr char kPlugin[] = "kubectl kernel-secrets";

// A flag that says where the value comes from; kFile flags take a path.
struct SourceFlag {
  std::string_view name;
  ValueSource source;
};

// A flag with a value that is not a secret's.
struct ValuedFlag {
  std::string_view name;
  std::string_view placeholder;
  std::string_view help;
};

constexpr ValuedFlag kVariableFlag{"name", "ENV_NAME", "the environment variable kernels get the value in"};
constexpr ValuedFlag kCommunityFlag{"community", "COMMUNITY", "the community, as in the namespaces' label"};

struct Grammar {
  std::string_view command;
  std::string_view synopsis;
  std::string_view summary;
  std::size_t positionals = 0;
  std::vector<ValuedFlag> valued_flags = {};
  std::vector<std::string_view> required_flags = {};
  std::vector<SourceFlag> source_flags = {};
  ValueSource default_source = ValueSource::kNone;
  bool needs_change = false;     // edit: at least one of --name or a value source
  bool source_argument = false;  // clone: the first argument is SOURCE_NS/SOURCE_NAME
  bool shows_objects = false;    // list, status: -o json|yaml
};

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

const Grammar* FindGrammar(std::string_view command) {
  const auto& grammars = Grammars();
  auto it = std::find_if(grammars.begin(), grammars.end(), [&](const Grammar& g) { return g.command == command; });
  return it == grammars.end() ? nullptr : &*it;
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

// What the parse saw beyond the invocation itself.
struct ParseState {
  Invocation invocation;
  std::vector<std::string> sources_given;  // value source flags, in the tree's order
};

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

// The whole command tree, bound to `state`.
std::unique_ptr<CLI::App> CommandTree(ParseState& state) {
  auto app = std::make_unique<CLI::App>("", kPlugin);
  app->formatter(std::make_shared<PluginHelp>());
  app->get_formatter()->label("Subcommands", "Commands");
  app->option_defaults()->group("Flags");
  app->allow_extras();
  AddGlobalFlags(*app, state.invocation);
  for (const Grammar& grammar : Grammars()) AddCommand(*app, grammar, state);
  return app;
}

Status UsageError(const std::string& problem, const std::string& command) {
  return InvalidArgument(problem + "\n\n" + Usage(command));
}

// The flags of `app` by any of their names ("-n", "--namespace").
const CLI::Option* FindFlag(const CLI::App& app, const std::string& name) {
  if (!name.starts_with("-")) return nullptr;
  return app.get_option_no_throw(name);
}

bool TakesValue(const CLI::Option& flag) { return flag.get_items_expected_max() > 0; }

// `--flag=value` with the value wrong for the flag. CLI11 reads `--name=` as `--name` and takes the
// next word as the value, and reads `--from-stdin=yes` as true: both are refused here instead.
Status CheckInlineValues(const CLI::App& app, const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    const std::size_t eq = arg.find('=');
    if (!arg.starts_with("--") || eq == std::string::npos) continue;
    const std::string name = arg.substr(0, eq);
    const CLI::Option* flag = FindFlag(app, name);
    if (!flag) continue;  // unknown: reported as such
    if (!TakesValue(*flag)) return InvalidArgument("flag " + name + " takes no value");
    if (eq + 1 == arg.size()) return InvalidArgument("flag " + name + " needs a value");
  }
  return Status::Ok();
}

// The word that made CLI11 report a missing value: a valued flag with nothing after it, or only
// another flag.
std::string FlagWithoutValue(const CLI::App& app, const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const CLI::Option* flag = FindFlag(app, args[i]);
    if (flag && TakesValue(*flag) && (i + 1 == args.size() || args[i + 1].starts_with("-"))) return args[i];
  }
  return "a flag";
}

// The first word no command took: an unknown command, a command's flag before the command, or a
// flag the command does not have.
Status CheckNothingLeftOver(const CLI::App& app, const CLI::App* command) {
  const std::vector<std::string> before = app.remaining(false);
  if (!before.empty()) {
    if (before.front().starts_with("-")) return UsageError("flag " + before.front() + " must follow a command", "");
    return UsageError("unknown command \"" + before.front() + "\"", "");
  }
  if (command && !command->remaining().empty()) {
    const std::string name = command->get_name();
    return UsageError("unknown flag " + command->remaining().front() + " for " + name, name);
  }
  return Status::Ok();
}

Status CheckComplete(const Grammar& grammar, const ParseState& state) {
  const std::string command(grammar.command);
  const Invocation& invocation = state.invocation;
  if (state.sources_given.size() > 1) {
    return UsageError("give the value from one source only, not also from " + state.sources_given[1], command);
  }
  if (invocation.args.size() != grammar.positionals) {
    return UsageError(command + " takes " + std::to_string(grammar.positionals) + " argument(s), got " +
                          std::to_string(invocation.args.size()),
                      command);
  }
  for (std::string_view required : grammar.required_flags) {
    if (!invocation.flags.contains(std::string(required))) {
      return UsageError(command + " needs --" + std::string(required), command);
    }
  }
  if (grammar.needs_change && invocation.flags.empty() && invocation.value_source == ValueSource::kNone) {
    return UsageError(command + " needs --name or a new value (--from-file, --from-stdin or --prompt)", command);
  }
  if (grammar.source_argument) {
    if (Status s = ParseSourceSecret(invocation.args[0]).status(); !s.ok()) return UsageError(s.message(), command);
  }
  return Status::Ok();
}

// Cobra's ShellCompDirective values.
constexpr int kCompleteFileNames = 0;
constexpr int kCompleteNoFileNames = 4;

std::string Candidate(const std::string& word, const std::string& summary) {
  return summary.empty() ? word + "\n" : word + "\t" + summary + "\n";
}

std::string CompleteFlagNames(const CLI::App& command, const std::string& prefix) {
  std::string candidates;
  for (const CLI::Option* flag : command.get_options()) {
    if (flag->get_positional()) continue;
    for (const std::string& name : flag->get_snames()) {
      if (("-" + name).starts_with(prefix)) candidates += Candidate("-" + name, flag->get_description());
    }
    for (const std::string& name : flag->get_lnames()) {
      if (("--" + name).starts_with(prefix)) candidates += Candidate("--" + name, flag->get_description());
    }
  }
  return candidates + ":" + std::to_string(kCompleteNoFileNames) + "\n";
}

std::string CompleteCommandNames(const CLI::App& app, const std::string& prefix) {
  std::string candidates;
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (command->get_name().starts_with(prefix)) candidates += Candidate(command->get_name(), command->get_description());
  }
  return candidates + ":" + std::to_string(kCompleteNoFileNames) + "\n";
}

// The value of `flag`: -o's formats, file names where it takes a path, else nothing (a value is
// the user's to type).
std::string CompleteValue(const CLI::Option& flag, const std::string& prefix) {
  if (flag.check_lname("output")) {
    std::string candidates;
    for (const char* format : {"json", "yaml"}) {
      if (std::string(format).starts_with(prefix)) candidates += Candidate(format, "");
    }
    return candidates + ":" + std::to_string(kCompleteNoFileNames) + "\n";
  }
  const std::string placeholder = flag.get_type_name();
  const bool path = placeholder == "PATH" || placeholder == "FILE";
  return ":" + std::to_string(path ? kCompleteFileNames : kCompleteNoFileNames) + "\n";
}

}  // namespace

std::string Invocation::Flag(const std::string& name) const {
  auto it = flags.find(name);
  return it == flags.end() ? "" : it->second;
}

StatusOr<api::ObjectKey> ParseSourceSecret(const std::string& text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size() ||
      text.find('/', slash + 1) != std::string::npos) {
    return InvalidArgument("the source secret is SOURCE_NS/SOURCE_NAME, not \"" + text + "\"");
  }
  return api::ObjectKey{text.substr(0, slash), text.substr(slash + 1)};
}

StatusOr<Invocation> ParseArguments(const std::vector<std::string>& args) {
  ParseState state;
  std::unique_ptr<CLI::App> app = CommandTree(state);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes the last word first
  std::optional<std::string> cli11_error;
  bool missing_value = false;
  try {
    app->parse(reversed);
  } catch (const CLI::CallForHelp&) {
    state.invocation.help = true;
  } catch (const CLI::ArgumentMismatch&) {
    missing_value = true;
  } catch (const CLI::ParseError& e) {
    cli11_error = e.what();
  }
  const std::vector<CLI::App*> chosen = app->get_subcommands();
  CLI::App* command = chosen.empty() ? nullptr : chosen.front();
  const CLI::App& scope = command ? *command : *app;
  Invocation& invocation = state.invocation;
  invocation.command = command ? command->get_name() : "";
  if (invocation.help) return invocation;
  if (Status s = CheckInlineValues(scope, args); !s.ok()) return UsageError(s.message(), invocation.command);
  if (missing_value) {
    return UsageError("flag " + FlagWithoutValue(scope, args) + " needs a value", invocation.command);
  }
  if (cli11_error) return UsageError(*cli11_error, invocation.command);
  KS_RETURN_IF_ERROR(CheckNothingLeftOver(*app, command));
  if (!command) return UsageError("no command given", "");
  const Grammar& grammar = *FindGrammar(invocation.command);
  KS_RETURN_IF_ERROR(CheckComplete(grammar, state));
  if (invocation.value_source == ValueSource::kNone) invocation.value_source = grammar.default_source;
  return invocation;
}

std::string Usage(const std::string& command) {
  ParseState unused;
  std::unique_ptr<CLI::App> app = CommandTree(unused);
  const CLI::App* sub = FindGrammar(command) ? app->get_subcommand(command) : app.get();
  return sub->help();
}

std::string Complete(const std::vector<std::string>& words) {
  ParseState unused;
  std::unique_ptr<CLI::App> app = CommandTree(unused);
  const CLI::App* command = app.get();
  const CLI::Option* awaiting_value = nullptr;
  const std::string partial = words.empty() ? "" : words.back();
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const std::string& word = words[i];
    if (awaiting_value) {
      awaiting_value = nullptr;
    } else if (word.starts_with("-")) {
      const CLI::Option* flag = FindFlag(*command, word);  // nullptr for --flag=value and unknown flags
      if (flag && TakesValue(*flag)) awaiting_value = flag;
    } else if (command == app.get() && FindGrammar(word)) {
      command = app->get_subcommand(word);
    }
  }
  if (awaiting_value) return CompleteValue(*awaiting_value, partial);
  if (partial.starts_with("-")) return CompleteFlagNames(*command, partial);
  if (command == app.get()) return CompleteCommandNames(*app, partial);
  return ":" + std::to_string(kCompleteNoFileNames) + "\n";  // an argument: a name only the user knows
}

std::string ResolveNamespace(const std::string& flag, const std::string& context_namespace) {
  if (!flag.empty()) return flag;
  if (!context_namespace.empty()) return context_namespace;
  return "default";
}

}  // namespace ks::plugin
