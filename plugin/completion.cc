#include "plugin/completion.h"

#include "plugin/command_tree.h"

namespace ks::plugin {
namespace {

// Cobra's ShellCompDirective values.
constexpr int kCompleteFileNames = 0;
constexpr int kCompleteNoFileNames = 4;

// The answer's last line.
std::string Directive(int directive) { return ":" + std::to_string(directive) + "\n"; }

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
  return candidates + Directive(kCompleteNoFileNames);
}

std::string CompleteCommandNames(const CLI::App& app, const std::string& prefix) {
  std::string candidates;
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (command->get_name().starts_with(prefix)) candidates += Candidate(command->get_name(), command->get_description());
  }
  return candidates + Directive(kCompleteNoFileNames);
}

// The value of `flag`: -o's formats, file names where it takes a path, else nothing (a value is
// the user's to type).
std::string CompleteValue(const CLI::Option& flag, const std::string& prefix) {
  if (flag.check_lname("output")) {
    std::string candidates;
    for (const char* format : {"json", "yaml"}) {
      if (std::string(format).starts_with(prefix)) candidates += Candidate(format, "");
    }
    return candidates + Directive(kCompleteNoFileNames);
  }
  const std::string placeholder = flag.get_type_name();
  const bool path = placeholder == "PATH" || placeholder == "FILE";
  return Directive(path ? kCompleteFileNames : kCompleteNoFileNames);
}

}  // namespace

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
  return Directive(kCompleteNoFileNames);  // an argument: a name only the user knows
}

}  // namespace ks::plugin
