#include "core/api/secret_name.h"

#include <algorithm>
#include <array>
#include <string>

namespace ks::api {
namespace {

bool IsLatinLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Status Refuse(std::string_view name, std::string_view problem) {
  return InvalidArgument("invalid secret name \"" + std::string(name) + "\": " + std::string(problem) + "; " +
                         std::string(kSecretNameRule));
}

// Who reads a variable at start-up, as the refusal says it.
constexpr std::string_view kLoader =
    "the dynamic loader and the C library read it when any program starts (ld.so(8)); it can make every program "
    "load other code or data";
constexpr std::string_view kShells =
    "shells read it when they start or run a command (bash(1), dash(1)); it can make them run other commands";
constexpr std::string_view kPython =
    "the Python interpreter reads PYTHON* variables when it starts (python3(1)); they can make it import and run "
    "other code";
constexpr std::string_view kJupyter =
    "Jupyter and IPython read it to find their configuration and start-up files; it can make a kernel run other "
    "code when it starts";
constexpr std::string_view kRuntimes =
    "a language runtime (Perl, Ruby, Node.js, the JVM, R, Julia) reads it when it starts; it can make it load "
    "other code";

struct StartupVariable {
  std::string_view name;
  bool prefix;  // every name that starts with `name` and has no hyphen
  std::string_view reader;
};

// From the programs' documentation: ld.so(8) (LD_* and the variables it strips in secure-execution
// mode, with glibc's GLIBC_TUNABLES), bash(1) and dash(1) (start-up files, options, expanded
// prompts, the command search), python3(1), Jupyter's and IPython's directories, and the start-up
// variables of perlrun(1), ruby(1), node(1), the JVM, R's ?Startup and Julia.
constexpr std::array kStartupVariables = {
    StartupVariable{"LD_", true, kLoader},
    StartupVariable{"GCONV_PATH", false, kLoader},
    StartupVariable{"GETCONF_DIR", false, kLoader},
    StartupVariable{"GLIBC_TUNABLES", false, kLoader},
    StartupVariable{"HOSTALIASES", false, kLoader},
    StartupVariable{"LOCALDOMAIN", false, kLoader},
    StartupVariable{"LOCPATH", false, kLoader},
    StartupVariable{"MALLOC_", true, kLoader},
    StartupVariable{"NIS_PATH", false, kLoader},
    StartupVariable{"NLSPATH", false, kLoader},
    StartupVariable{"RESOLV_HOST_CONF", false, kLoader},
    StartupVariable{"RES_OPTIONS", false, kLoader},
    StartupVariable{"TMPDIR", false, kLoader},
    StartupVariable{"TZDIR", false, kLoader},
    StartupVariable{"BASH_ENV", false, kShells},
    StartupVariable{"BASH_FUNC_", true, kShells},
    StartupVariable{"BASH_XTRACEFD", false, kShells},
    StartupVariable{"BASHOPTS", false, kShells},
    StartupVariable{"CDPATH", false, kShells},
    StartupVariable{"ENV", false, kShells},
    StartupVariable{"EXECIGNORE", false, kShells},
    StartupVariable{"GLOBIGNORE", false, kShells},
    StartupVariable{"HOME", false, kShells},  // also where Python's user site and IPython's profile are
    StartupVariable{"IFS", false, kShells},
    StartupVariable{"INPUTRC", false, kShells},
    StartupVariable{"PATH", false, kShells},
    StartupVariable{"POSIXLY_CORRECT", false, kShells},
    StartupVariable{"PROMPT_COMMAND", false, kShells},
    StartupVariable{"PS0", false, kShells},
    StartupVariable{"PS1", false, kShells},
    StartupVariable{"PS2", false, kShells},
    StartupVariable{"PS4", false, kShells},
    StartupVariable{"SHELLOPTS", false, kShells},
    StartupVariable{"PYTHON", true, kPython},
    StartupVariable{"IPYTHONDIR", false, kJupyter},
    StartupVariable{"JUPYTER_", true, kJupyter},
    StartupVariable{"XDG_CONFIG_DIRS", false, kJupyter},
    StartupVariable{"XDG_CONFIG_HOME", false, kJupyter},
    StartupVariable{"XDG_DATA_DIRS", false, kJupyter},
    StartupVariable{"XDG_DATA_HOME", false, kJupyter},
    StartupVariable{"PERL5DB", false, kRuntimes},
    StartupVariable{"PERL5LIB", false, kRuntimes},
    StartupVariable{"PERL5OPT", false, kRuntimes},
    StartupVariable{"PERLLIB", false, kRuntimes},
    StartupVariable{"RUBYLIB", false, kRuntimes},
    StartupVariable{"RUBYOPT", false, kRuntimes},
    StartupVariable{"NODE_OPTIONS", false, kRuntimes},
    StartupVariable{"NODE_PATH", false, kRuntimes},
    StartupVariable{"CLASSPATH", false, kRuntimes},
    StartupVariable{"JAVA_TOOL_OPTIONS", false, kRuntimes},
    StartupVariable{"JDK_JAVA_OPTIONS", false, kRuntimes},
    StartupVariable{"_JAVA_OPTIONS", false, kRuntimes},
    StartupVariable{"R_ENVIRON", false, kRuntimes},
    StartupVariable{"R_ENVIRON_USER", false, kRuntimes},
    StartupVariable{"R_LIBS", false, kRuntimes},
    StartupVariable{"R_LIBS_USER", false, kRuntimes},
    StartupVariable{"R_PROFILE", false, kRuntimes},
    StartupVariable{"R_PROFILE_USER", false, kRuntimes},
    StartupVariable{"JULIA_DEPOT_PATH", false, kRuntimes},
    StartupVariable{"JULIA_LOAD_PATH", false, kRuntimes},
};

// Every variable these programs read is a shell identifier, so a hyphen ends a prefix's family:
// Python reads PYTHONPATH, never PYTHON-TOKEN.
bool Matches(const StartupVariable& variable, std::string_view name) {
  if (!variable.prefix) return name == variable.name;
  return name.starts_with(variable.name) && name.find('-') == std::string_view::npos;
}

}  // namespace

Status ValidateSecretName(std::string_view name) {
  if (name.size() < 3) return Refuse(name, "it is shorter than 3 characters");
  if (name.size() > 63) return Refuse(name, "it is longer than 63 characters");
  if (!IsLatinLetter(name.front())) return Refuse(name, "it does not start with a letter");
  if (name.back() == '-' || name.back() == '_') {
    return Refuse(name, "it ends with a hyphen or underscore");
  }
  for (char c : name) {
    if (!IsLatinLetter(c) && !IsDigit(c) && c != '-') {
      return Refuse(name, "it contains a character other than a Latin letter, digit or hyphen");
    }
  }
  return Status::Ok();
}

std::optional<std::string> WhyNameChangesStartup(std::string_view name) {
  auto found = std::find_if(kStartupVariables.begin(), kStartupVariables.end(),
                            [name](const StartupVariable& variable) { return Matches(variable, name); });
  if (found == kStartupVariables.end()) return std::nullopt;
  return std::string(found->reader);
}

Status ValidateNameIsNotStartupVariable(std::string_view name) {
  std::optional<std::string> why = WhyNameChangesStartup(name);
  if (!why) return Status::Ok();
  return InvalidArgument("secret name \"" + std::string(name) + "\" is refused: " + *why +
                         ", so every kernel that gets the secret would start differently; " +
                         std::string(kStartupNameRule));
}

}  // namespace ks::api
