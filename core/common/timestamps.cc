#include "core/common/timestamps.h"

#include <cstdio>
#include <ctime>

namespace ks {
namespace {

// "2006-01-02T15:04:05" of the whole seconds in `time`.
std::string FormatSeconds(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return text;
}

}  // namespace

std::string FormatTime(std::chrono::system_clock::time_point time) { return FormatSeconds(time) + "Z"; }

std::string FormatMicroTime(std::chrono::system_clock::time_point time) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count() % 1'000'000;
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%06lld", static_cast<long long>(micros));
  return FormatSeconds(time) + fraction + "Z";
}

}  // namespace ks
