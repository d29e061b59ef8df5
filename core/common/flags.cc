#include "core/common/flags.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

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

}  // namespace

void Flags::Define(const std::string& name, std::string default_value, std::string help) {
  flags_[name] = {std::move(default_value), std::move(help)};
}

Status Flags::Parse(int argc, const char* const argv[]) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help_requested_ = true;
      continue;
    }
    if (!arg.starts_with("--")) return InvalidArgument("unexpected argument \"" + arg + "\"; flags are --name value");
    std::string name = arg.substr(2);
    std::string value;
    if (std::size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return InvalidArgument("flag --" + name + " needs a value");
    }
    auto flag = flags_.find(name);
    if (flag == flags_.end()) return InvalidArgument("unknown flag --" + name + "; see --help");
    flag->second.value = std::move(value);
  }
  return Status::Ok();
}

std::string Flags::Usage() const {
  std::string usage = summary_ + "\n\nFlags:\n";
  for (const auto& [name, flag] : flags_) {
    usage += "  --" + name + " (default \"" + flag.value + "\")\n      " + flag.help + "\n";
  }
  return usage;
}

const std::string& Flags::Get(const std::string& name) const { return flags_.at(name).value; }

StatusOr<long> Flags::GetInt(const std::string& name, long min, long max) const {
  const std::string& text = Get(name);
  long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return InvalidArgument("flag --" + name + " must be an integer from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", not \"" + text + "\"");
  }
  return value;
}

StatusOr<bool> Flags::GetBool(const std::string& name) const {
  const std::string& text = Get(name);
  if (text == "true") return true;
  if (text == "false") return false;
  return InvalidArgument("flag --" + name + " must be true or false, not \"" + text + "\"");
}

std::optional<int> HandleCommandLine(Flags& flags, int argc, const char* const argv[]) {
  const std::string program = argc > 0 ? argv[0] : "program";
  if (Status s = flags.Parse(argc, argv); !s.ok()) return StartupFailure(program, s);
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  if (flags.Has("log-format")) {
    if (Status s = ConfigureLogging(flags.Get("log-format")); !s.ok()) return StartupFailure(program, s);
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
