// Command-line flags for our thin mains, on CLI11: `--name value` or `--name=value`, each flag bound
// to the option it sets, whose value before parsing is its default; --help prints them all. Unknown
// flags and missing or bad values are errors that name the flag and say what it takes, so that a
// typo in a Deployment fails loudly instead of running with a default.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"

namespace ks {

// CLI11's App with our conventions: every flag's default is shown in --help.
class Flags : public CLI::App {
 public:
  explicit Flags(std::string program_summary);
};

// A plain decimal integer from `min` to `max`. CLI11 alone also reads 0x1f, 0b11, 1e3 and "true"
// as integers; what a Deployment says should be what runs.
CLI::Validator IntegerFrom(long min, long max);

// One of `allowed`, spelled exactly ("must be json or yaml, not \"xml\"").
CLI::Validator OneOf(std::vector<std::string> allowed);

// `--name true|false`, taking its value as the next word like every other flag (the chart writes
// `--reuse-port "true"`): a bare `--name` would swallow the next word, so only true and false pass.
CLI::Option* AddBoolFlag(CLI::App& app, const std::string& name, bool& value, const std::string& help);

// A whole number of seconds from `min` to `max` into `value`, whose value now is the default.
template <typename Duration>
CLI::Option* AddSecondsFlag(CLI::App& app, const std::string& name, Duration& value, long min, long max,
                            const std::string& help) {
  const long default_seconds = std::chrono::duration_cast<std::chrono::seconds>(value).count();
  return app.add_option_function<long>(name, [&value](long seconds) { value = std::chrono::seconds(seconds); }, help)
      ->check(IntegerFrom(min, max))
      ->type_name("SECONDS")
      ->default_str(std::to_string(default_seconds));
}

// --log-format text|json, which sets up logging (ConfigureLogging) as soon as it is parsed, from
// its default too.
void AddLogFormatFlag(CLI::App& app);

enum class CommandLine { kRun, kHelp };

// Parses argv into the options `app`'s flags are bound to. kHelp on -h or --help; InvalidArgument
// with CLI11's message, which names the bad flag, otherwise.
StatusOr<CommandLine> ParseCommandLine(CLI::App& app, int argc, const char* const argv[]);

// The start of every main: parses the command line and prints --help. Returns the exit code when
// the program should end now (help: 0; bad flags: 2, after saying what is wrong on stderr), nullopt
// to carry on.
std::optional<int> HandleCommandLine(CLI::App& app, int argc, const char* const argv[]);

// Says on stderr why `program` cannot start; returns the exit code for that (2).
int StartupFailure(const std::string& program, const Status& status);

// Sets up spdlog for a binary: `format` is "text" or "json" (one JSON object per line, for log
// collectors). InvalidArgument for anything else.
Status ConfigureLogging(const std::string& format);

}  // namespace ks
