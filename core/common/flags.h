// Command-line flags for our thin mains: `--name value` or `--name=value`, each declared with a
// default and a help line; --help prints them. Unknown flags and missing values are errors that
// name the flag, so a typo in a Deployment fails loudly instead of running with a default.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"

namespace ks {

class Flags {
 public:
  explicit Flags(std::string program_summary) : summary_(std::move(program_summary)) {}

  void Define(const std::string& name, std::string default_value, std::string help);

  // Ok, or InvalidArgument naming the bad flag. Sets help_requested() on --help or -h.
  Status Parse(int argc, const char* const argv[]);
  bool help_requested() const { return help_requested_; }
  std::string Usage() const;

  bool Has(const std::string& name) const { return flags_.contains(name); }
  const std::string& Get(const std::string& name) const;
  // InvalidArgument when the value is not an integer in [min, max].
  StatusOr<long> GetInt(const std::string& name, long min, long max) const;
  // "true"/"false"; InvalidArgument otherwise.
  StatusOr<bool> GetBool(const std::string& name) const;

 private:
  struct Flag {
    std::string value;
    std::string help;
  };
  std::string summary_;
  std::map<std::string, Flag> flags_;
  bool help_requested_ = false;
};

// The start of every main: parses the command line, prints --help, and sets up logging from
// --log-format (when defined). Returns the exit code when the program should end now (help: 0;
// bad flags: 2, after saying what is wrong on stderr), nullopt to carry on.
std::optional<int> HandleCommandLine(Flags& flags, int argc, const char* const argv[]);

// Says on stderr why `program` cannot start; returns the exit code for that (2).
int StartupFailure(const std::string& program, const Status& status);

// Sets up spdlog for a binary: `format` is "text" or "json" (one JSON object per line, for log
// collectors). InvalidArgument for anything else.
Status ConfigureLogging(const std::string& format);

}  // namespace ks
