#include "plugin/value_input.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <string_view>

namespace ks::plugin {
namespace {

// The terminal's settings from before echo went off. Global because the signal handler restores
// them: Ctrl-C at the prompt must not leave the user's shell without echo.
int g_tty = -1;
termios g_saved_settings;

extern "C" void RestoreTerminalAndDie(int signal) {
  tcsetattr(g_tty, TCSAFLUSH, &g_saved_settings);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

// Turns echo off on `tty` for its lifetime, and back on, also when interrupted.
class EchoOff {
 public:
  explicit EchoOff(int tty) {
    if (tcgetattr(tty, &g_saved_settings) != 0) return;
    g_tty = tty;
    termios quiet = g_saved_settings;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    previous_int_ = std::signal(SIGINT, RestoreTerminalAndDie);
    previous_term_ = std::signal(SIGTERM, RestoreTerminalAndDie);
    active_ = tcsetattr(tty, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (g_tty < 0) return;
    tcsetattr(g_tty, TCSAFLUSH, &g_saved_settings);
    std::signal(SIGINT, previous_int_);
    std::signal(SIGTERM, previous_term_);
    g_tty = -1;
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;
  bool active() const { return active_; }

 private:
  bool active_ = false;
  void (*previous_int_)(int) = SIG_DFL;
  void (*previous_term_)(int) = SIG_DFL;
};

// Best effort: the prompt is a courtesy, and reading the answer reports what matters.
void Show(int tty, std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = write(tty, text.data(), text.size());
    if (written <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(written));
  }
}

StatusOr<std::string> ReadFromTerminal(const std::string& prompt) {
  const int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0)
    return InvalidArgument("no terminal to prompt for the value on; give it with --from-file or --from-stdin");
  std::string line;
  {
    EchoOff echo_off(tty);
    if (!echo_off.active()) {
      close(tty);
      return InvalidArgument("cannot turn off echo on the terminal; give the value with --from-file or --from-stdin");
    }
    Show(tty, prompt);
    char c = 0;
    while (read(tty, &c, 1) == 1 && c != '\n') line += c;
    Show(tty, "\n");  // the user's Enter was not echoed
  }
  close(tty);
  return line;
}

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return InvalidArgument("cannot read the value file \"" + path + "\"");
  return std::string(std::istreambuf_iterator<char>(file), {});
}

StatusOr<std::string> ReadRaw(ValueSource source, const std::string& file, std::istream& in,
                              const std::string& prompt) {
  switch (source) {
    case ValueSource::kFile:
      return ReadFile(file);
    case ValueSource::kStdin:
      return std::string(std::istreambuf_iterator<char>(in), {});
    case ValueSource::kPrompt:
      return ReadFromTerminal(prompt);
    case ValueSource::kNone:
      break;
  }
  return Internal("no source for the value was chosen");
}

}  // namespace

std::string WithoutFinalNewline(std::string text) {
  if (!text.ends_with('\n')) return text;
  text.pop_back();
  if (text.ends_with('\r')) text.pop_back();
  return text;
}

StatusOr<std::string> ReadValue(ValueSource source, const std::string& file, std::istream& in,
                                const std::string& prompt) {
  StatusOr<std::string> raw = ReadRaw(source, file, in, prompt);
  if (!raw.ok()) return raw.status();
  std::string value = WithoutFinalNewline(std::move(*raw));
  if (value.empty()) return InvalidArgument("the value is empty; a secret needs content");
  return value;
}

}  // namespace ks::plugin
