// The plugin's command line: `kubectl kernel-secrets COMMAND [ARGS] [FLAGS]`, parsed (CLI11) and
// checked against each command's grammar before anything talks to the API server. Pure: no I/O, so
// every usage error is unit-tested. A usage error says what is wrong and what the command allows.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/api/resources.h"
#include "core/common/status.h"

namespace ks::plugin {

// Where a secret's value comes from. Never argv: a value on the command line would end up in the
// shell history and in `ps`.
enum class ValueSource { kNone, kPrompt, kFile, kStdin };

struct Invocation {
  std::string command;                       // "create", "list", ...; empty with help for the overview
  std::vector<std::string> args;             // positional arguments, as many as the command takes
  std::map<std::string, std::string> flags;  // valued flags without "--", e.g. {"name", "API_KEY"}
  ValueSource value_source = ValueSource::kNone;
  std::string value_file;  // with ValueSource::kFile
  std::string ns;          // -n/--namespace; empty: the kubeconfig context's
  std::string kubeconfig;  // --kubeconfig; empty: $KUBECONFIG or ~/.kube/config
  std::string context;     // --context; empty: the kubeconfig's current-context
  std::string output;      // -o/--output of list and status: "json" or "yaml"; empty: a table
  bool help = false;

  // The flag's value, or "" when it was not given.
  std::string Flag(const std::string& name) const;
};

// InvalidArgument with a message that names the problem and ends with the command's usage.
StatusOr<Invocation> ParseArguments(const std::vector<std::string>& args);

// "NS/NAME", the source of a clone, as a key; InvalidArgument otherwise.
StatusOr<api::ObjectKey> ParseSourceSecret(const std::string& text);

// Usage of one command, or of all of them for an empty or unknown `command`.
std::string Usage(const std::string& command = "");

// The namespace a command works in: -n, else the kubeconfig context's, else "default".
std::string ResolveNamespace(const std::string& flag, const std::string& context_namespace);

}  // namespace ks::plugin
