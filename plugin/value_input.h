// Reading a secret's value from where the user chose: a file, standard input, or a prompt on the
// terminal with echo off. Never from argv. The value is returned to the caller only; nothing here
// prints it or puts it into an error message.
#pragma once

#include <istream>
#include <string>

#include "core/common/status.h"
#include "plugin/arguments.h"

namespace ks::plugin {

// The content without one final "\n" or "\r\n": `echo`, editors and a terminal line all end with
// one, and an environment variable almost never wants it. Other whitespace is kept.
std::string WithoutFinalNewline(std::string text);

// The value from `source` (not kNone), without its final newline. `prompt` is shown on the
// terminal when prompting. InvalidArgument for an empty value, an unreadable file, or no terminal.
StatusOr<std::string> ReadValue(ValueSource source, const std::string& file, std::istream& in,
                                const std::string& prompt);

}  // namespace ks::plugin
