// The plugin's value input (plugin/value_input.h) on standard input, as `--from-stdin` reads a
// secret's value: the value is the input without one final newline, and never empty.
#include <sstream>

#include "plugin/value_input.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input = ks::fuzz::Text(data, size);
  std::istringstream in(input);
  ks::StatusOr<std::string> value = ks::plugin::ReadValue(ks::plugin::ValueSource::kStdin, "", in, "");
  if (!value.ok()) return 0;
  ks::fuzz::Require(!value->empty(), "a value is never empty");
  ks::fuzz::Require(input == *value || input == *value + "\n" || input == *value + "\r\n",
                    "only one final newline is removed");
  return 0;
}
