// The plugin's command-line parser and its shell completion (plugin/arguments.h): the input is argv
// after the plugin's name, one argument per NUL-separated piece.
#include "plugin/arguments.h"
#include "plugin/completion.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

std::vector<std::string> SplitAtNul(const std::string& text) {
  std::vector<std::string> args;
  size_t start = 0;
  for (size_t end; (end = text.find('\0', start)) != std::string::npos; start = end + 1) {
    args.push_back(text.substr(start, end - start));
  }
  args.push_back(text.substr(start));
  return args;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string> args = SplitAtNul(ks::fuzz::Text(data, size));
  for (const std::string& arg : args) (void)ks::plugin::ParseSourceSecret(arg);
  const std::string completion = ks::plugin::Complete(args);
  ks::fuzz::Require(completion.ends_with(":0\n") || completion.ends_with(":4\n"),
                    "a completion ends with a directive kubectl knows");
  ks::StatusOr<ks::plugin::Invocation> invocation = ks::plugin::ParseArguments(args);
  if (!invocation.ok()) return 0;
  (void)ks::plugin::Usage(invocation->command);
  ks::fuzz::Require(!ks::plugin::ResolveNamespace(invocation->ns, "").empty(), "a command has a namespace");
  ks::fuzz::Require((invocation->value_source == ks::plugin::ValueSource::kFile) == !invocation->value_file.empty(),
                    "a value file is named exactly when the value comes from a file");
  return 0;
}
