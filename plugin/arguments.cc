#include "plugin/arguments.h"

#include <optional>

#include "plugin/command_tree.h"

namespace ks::plugin {
namespace {

Status UsageError(const std::string& problem, const std::string& command) {
  return InvalidArgument(problem + "\n\n" + Usage(command));
}

// "--value=s3cr3t" -> "--value": an unknown flag is named in the error, what it was given never
// (it may be the very value that must stay off the screen).
std::string FlagName(const std::string& word) { return word.substr(0, word.find('=')); }

// `--flag=value` with the value wrong for the flag. CLI11 reads `--name=` as `--name` and takes the
// next word as the value, and reads `--from-stdin=yes` as true: both are refused here instead.
Status CheckInlineValues(const CLI::App& app, const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    const std::size_t eq = arg.find('=');
    if (!arg.starts_with("--") || eq == std::string::npos) continue;
    const std::string name = FlagName(arg);
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
    const std::string& word = before.front();
    if (word.starts_with("-")) return UsageError("flag " + FlagName(word) + " must follow a command", "");
    return UsageError("unknown command \"" + word + "\"", "");
  }
  if (command && !command->remaining().empty()) {
    const std::string name = command->get_name();
    return UsageError("unknown flag " + FlagName(command->remaining().front()) + " for " + name, name);
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

std::string ResolveNamespace(const std::string& flag, const std::string& context_namespace) {
  if (!flag.empty()) return flag;
  if (!context_namespace.empty()) return context_namespace;
  return "default";
}

}  // namespace ks::plugin
