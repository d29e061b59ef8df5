#include "core/common/flags.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <iostream>

namespace ks {
namespace {

// The log message as the inside of a JSON string: quotes, backslashes and control characters escaped.
class JsonEscapedMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      if (c == '"' || c == '\\') {
        dest.push_back('\\');
        dest.push_back(c);
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char escaped[8];
        const int n = std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
        dest.append(escaped, escaped + n);
      } else {
        dest.push_back(c);
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonEscapedMessage>(); }
};

// "a or b", "a, b or c".
std::string Alternatives(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  }
  return text;
}

}  // namespace

Flags::Flags(std::string program_summary) : CLI::App(std::move(program_summary)) {
  option_defaults()->always_capture_default();
}

CLI::Validator IntegerFrom(long min, long max) {
  const std::string range = std::to_string(min) + " to " + std::to_string(max);
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        long value = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error == std::errc() && end == text.data() + text.size() && value >= min && value <= max) return "";
        return "must be an integer from " + range + ", not \"" + text + "\"";
      },
      "from " + range);
}

CLI::Validator OneOf(std::vector<std::string> allowed) {
  const std::string alternatives = Alternatives(allowed);
  return CLI::Validator(
      [allowed = std::move(allowed), alternatives](std::string& text) -> std::string {
        if (std::find(allowed.begin(), allowed.end(), text) != allowed.end()) return "";
        return "must be " + alternatives + ", not \"" + text + "\"";
      },
      alternatives);
}

CLI::Option* AddBoolFlag(CLI::App& app, const std::string& name, bool& value, const std::string& help) {
  return app.add_option(name, value, help)
      ->check(OneOf({"true", "false"}))
      ->type_name("BOOL")
      ->default_str(value ? "true" : "false");
}

void AddLogFormatFlag(CLI::App& app) {
  app.add_option_function<std::string>(
         "--log-format", [](const std::string& format) { (void)ConfigureLogging(format); },
         "log lines as text, or as one JSON object each for log collectors")
      ->check(OneOf({"text", "json"}))
      ->default_str("text")
      ->force_callback();  // the default configures logging too
}

StatusOr<CommandLine> ParseCommandLine(CLI::App& app, int argc, const char* const argv[]) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return CommandLine::kHelp;
  } catch (const CLI::ExtrasError&) {
    // CLI11 lists every extra word, last first; the first one is what to fix.
    const std::string first = app.remaining().front();
    if (first.starts_with("-")) return InvalidArgument("unknown flag " + first + "; see --help");
    return InvalidArgument("unexpected argument \"" + first + "\"; flags are --name value");
  } catch (const CLI::ParseError& e) {
    return InvalidArgument(e.what());
  }
  return CommandLine::kRun;
}

std::optional<int> HandleCommandLine(CLI::App& app, int argc, const char* const argv[]) {
  StatusOr<CommandLine> parsed = ParseCommandLine(app, argc, argv);
  if (!parsed.ok()) return StartupFailure(argc > 0 ? argv[0] : app.get_name(), parsed.status());
  if (*parsed == CommandLine::kHelp) {
    std::cout << app.help();
    return 0;
  }
  return std::nullopt;
}

int StartupFailure(const std::string& program, const Status& status) {
  std::cerr << program << ": " << status.message() << "\n";
  return 2;
}

Status ConfigureLogging(const std::string& format) {
  if (format == "text") {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  } else if (format == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonEscapedMessage>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%*"})");
    spdlog::set_formatter(std::move(formatter));
  } else {
    return InvalidArgument("--log-format must be text or json, not \"" + format + "\"");
  }
  return Status::Ok();
}

}  // namespace ks
