// The plugin's commands as one CLI11 command tree: each command's grammar (arguments, flags, where
// a value may come from), bound to the Invocation a parse fills. Parsing and --help (arguments.h)
// and shell completion (completion.h) all read this tree, so they cannot disagree.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/arguments.h"

namespace ks::plugin {

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

// The command's grammar; nullptr for an unknown command.
const Grammar* FindGrammar(std::string_view command);

// What a parse fills: the invocation, and the value-source flags given, in the tree's order.
struct ParseState {
  Invocation invocation;
  std::vector<std::string> sources_given;
};

// The commands under the plugin, bound to `state`, which must outlive the tree. Every command
// allows extras: an unknown flag or argument stays in its remaining(), for the caller to report
// in its own words.
std::unique_ptr<CLI::App> CommandTree(ParseState& state);

// A flag of `command` by any of its names ("-n", "--namespace"); nullptr for an unknown name.
const CLI::Option* FindFlag(const CLI::App& command, const std::string& name);

// A flag that takes a value (`-n NS`), not a switch (`--from-stdin`).
bool TakesValue(const CLI::Option& flag);

}  // namespace ks::plugin
