#include "plugin/arguments.h"

#include <algorithm>
#include <optional>
#include <string_view>

namespace ks::plugin {
namespace {

// A flag that says where the value comes from; kFile flags take a path.
struct SourceFlag {
  std::string_view name;
  ValueSource source;
};

struct Grammar {
  std::string_view command;
  std::string_view synopsis;
  std::string_view summary;
  std::size_t positionals = 0;
  std::vector<std::string_view> valued_flags = {};
  std::vector<std::string_view> required_flags = {};
  std::vector<SourceFlag> source_flags = {};
  ValueSource default_source = ValueSource::kNone;
  bool needs_change = false;     // edit: at least one of --name or a value source
  bool source_argument = false;  // clone: the first argument is SOURCE_NS/SOURCE_NAME
};

const std::vector<Grammar>& Grammars() {
  static const std::vector<Grammar> grammars = {
      {.command = "create",
       .synopsis = "create NAME --name ENV_NAME [--from-file PATH | --from-stdin]",
       .summary = "create a secret; without a source, prompts for the value with echo off",
       .positionals = 1,
       .valued_flags = {"name"},
       .required_flags = {"name"},
       .source_flags = {{"from-file", ValueSource::kFile}, {"from-stdin", ValueSource::kStdin}},
       .default_source = ValueSource::kPrompt},
      {.command = "list",
       .synopsis = "list",
       .summary = "list the project's secrets and those shared into its community (values as ***)"},
      {.command = "share",
       .synopsis = "share NAME --community COMMUNITY",
       .summary = "share a secret into a community (community admins only)",
       .positionals = 1,
       .valued_flags = {"community"},
       .required_flags = {"community"}},
      {.command = "unshare",
       .synopsis = "unshare NAME --community COMMUNITY",
       .summary = "stop sharing a secret into a community",
       .positionals = 1,
       .valued_flags = {"community"},
       .required_flags = {"community"}},
      {.command = "clone",
       .synopsis = "clone SOURCE_NS/SOURCE_NAME NAME --name ENV_NAME [--value-from-file PATH | --value-from-stdin]",
       .summary = "copy a secret visible to the project, optionally with a new value",
       .positionals = 2,
       .valued_flags = {"name"},
       .required_flags = {"name"},
       .source_flags = {{"value-from-file", ValueSource::kFile}, {"value-from-stdin", ValueSource::kStdin}},
       .source_argument = true},
      {.command = "edit",
       .synopsis = "edit NAME [--name NEW_ENV_NAME] [--from-file PATH | --from-stdin | --prompt]",
       .summary = "rename a secret's variable and/or replace its value",
       .positionals = 1,
       .valued_flags = {"name"},
       .source_flags = {{"from-file", ValueSource::kFile},
                        {"from-stdin", ValueSource::kStdin},
                        {"prompt", ValueSource::kPrompt}},
       .needs_change = true},
      {.command = "delete",
       .synopsis = "delete NAME",
       .summary = "delete a secret and wait until it is gone",
       .positionals = 1},
      {.command = "status",
       .synopsis = "status",
       .summary = "show which running kernels need a restart to see the current secrets"},
  };
  return grammars;
}

const Grammar* FindGrammar(std::string_view command) {
  const auto& grammars = Grammars();
  auto it = std::find_if(grammars.begin(), grammars.end(), [&](const Grammar& g) { return g.command == command; });
  return it == grammars.end() ? nullptr : &*it;
}

bool Contains(const std::vector<std::string_view>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

const SourceFlag* FindSourceFlag(const Grammar& grammar, std::string_view name) {
  for (const SourceFlag& flag : grammar.source_flags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

Status UsageError(const std::string& problem, const std::string& command) {
  return InvalidArgument(problem + "\n\n" + Usage(command));
}

// Walks the arguments, splitting "--flag=value" and handing out the next argument as a flag's value.
class ArgumentCursor {
 public:
  explicit ArgumentCursor(const std::vector<std::string>& args) : args_(args) {}

  bool done() const { return next_ >= args_.size(); }
  // The next argument; for "--flag=value", sets the pending inline value.
  std::string Take() {
    std::string arg = args_[next_++];
    inline_value_.reset();
    if (arg.starts_with("--")) {
      if (std::size_t eq = arg.find('='); eq != std::string::npos) {
        inline_value_ = arg.substr(eq + 1);
        arg.resize(eq);
      }
    }
    return arg;
  }
  bool has_inline_value() const { return inline_value_.has_value(); }
  StatusOr<std::string> ValueOf(const std::string& flag) {
    std::string value = inline_value_ ? *inline_value_ : done() ? "" : args_[next_++];
    if (value.empty()) return InvalidArgument("flag " + flag + " needs a value");
    return value;
  }

 private:
  const std::vector<std::string>& args_;
  std::size_t next_ = 0;
  std::optional<std::string> inline_value_;
};

// Handles the flags every command takes; false when `flag` is not one of them.
StatusOr<bool> TakeGlobalFlag(const std::string& flag, ArgumentCursor& cursor, Invocation& invocation) {
  if (flag == "-h" || flag == "--help") {
    invocation.help = true;
    return true;
  }
  std::string* target = flag == "-n" || flag == "--namespace" ? &invocation.ns
                        : flag == "--kubeconfig"              ? &invocation.kubeconfig
                                                              : nullptr;
  if (!target) return false;
  StatusOr<std::string> value = cursor.ValueOf(flag);
  if (!value.ok()) return value.status();
  *target = *value;
  return true;
}

Status TakeCommandFlag(const Grammar& grammar, const std::string& flag, ArgumentCursor& cursor,
                       Invocation& invocation) {
  const std::string command(grammar.command);
  const std::string name = flag.starts_with("--") ? flag.substr(2) : "";
  if (Contains(grammar.valued_flags, name)) {
    StatusOr<std::string> value = cursor.ValueOf(flag);
    if (!value.ok()) return UsageError(value.status().message(), command);
    invocation.flags[name] = *value;
    return Status::Ok();
  }
  const SourceFlag* source = FindSourceFlag(grammar, name);
  if (!source) return UsageError("unknown flag " + flag + " for " + command, command);
  if (invocation.value_source != ValueSource::kNone) {
    return UsageError("give the value from one source only, not also from " + flag, command);
  }
  invocation.value_source = source->source;
  if (source->source == ValueSource::kFile) {
    StatusOr<std::string> path = cursor.ValueOf(flag);
    if (!path.ok()) return UsageError(path.status().message(), command);
    invocation.value_file = *path;
  } else if (cursor.has_inline_value()) {
    return UsageError("flag " + flag + " takes no value", command);
  }
  return Status::Ok();
}

Status CheckComplete(const Grammar& grammar, Invocation& invocation) {
  const std::string command(grammar.command);
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
  if (invocation.value_source == ValueSource::kNone) invocation.value_source = grammar.default_source;
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
  Invocation invocation;
  ArgumentCursor cursor(args);
  const Grammar* grammar = nullptr;
  while (!cursor.done()) {
    const std::string arg = cursor.Take();
    StatusOr<bool> global = TakeGlobalFlag(arg, cursor, invocation);
    if (!global.ok()) return UsageError(global.status().message(), invocation.command);
    if (*global) continue;
    if (!arg.starts_with("-")) {
      if (grammar) {
        invocation.args.push_back(arg);
        continue;
      }
      grammar = FindGrammar(arg);
      if (!grammar) return UsageError("unknown command \"" + arg + "\"", "");
      invocation.command = arg;
      continue;
    }
    if (!grammar) return UsageError("flag " + arg + " must follow a command", "");
    KS_RETURN_IF_ERROR(TakeCommandFlag(*grammar, arg, cursor, invocation));
  }
  if (invocation.help) return invocation;
  if (!grammar) return UsageError("no command given", "");
  KS_RETURN_IF_ERROR(CheckComplete(*grammar, invocation));
  return invocation;
}

std::string Usage(const std::string& command) {
  const std::string global =
      "\nFlags of every command:\n  -n, --namespace NS   the project (default: the kubeconfig context's namespace)\n"
      "  --kubeconfig FILE    the kubeconfig (default: $KUBECONFIG, then ~/.kube/config)\n";
  if (const Grammar* grammar = FindGrammar(command)) {
    return "Usage: kubectl kernel-secrets " + std::string(grammar->synopsis) + "\n  " + std::string(grammar->summary) +
           "\n" + global;
  }
  std::string usage = "Usage: kubectl kernel-secrets COMMAND [ARGS] [FLAGS]\n\nCommands:\n";
  for (const Grammar& g : Grammars())
    usage += "  " + std::string(g.synopsis) + "\n      " + std::string(g.summary) + "\n";
  return usage + global;
}

std::string ResolveNamespace(const std::string& flag, const std::string& context_namespace) {
  if (!flag.empty()) return flag;
  if (!context_namespace.empty()) return context_namespace;
  return "default";
}

}  // namespace ks::plugin
