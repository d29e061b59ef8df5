#include <gtest/gtest.h>

#include <chrono>

#include "core/common/timestamps.h"

namespace ks {
namespace {

using std::chrono::system_clock;

// 2021-03-04T05:06:07.089012Z
system_clock::time_point Sample() {
  return system_clock::time_point(std::chrono::seconds(1614834367) + std::chrono::microseconds(89012));
}

TEST(Timestamps, TimeIsRfc3339UtcInWholeSeconds) { EXPECT_EQ(FormatTime(Sample()), "2021-03-04T05:06:07Z"); }

TEST(Timestamps, MicroTimeKeepsSixDigitsOfFraction) {
  EXPECT_EQ(FormatMicroTime(Sample()), "2021-03-04T05:06:07.089012Z");
  EXPECT_EQ(FormatMicroTime(system_clock::time_point(std::chrono::seconds(1614834367))),
            "2021-03-04T05:06:07.000000Z");
}

}  // namespace
}  // namespace ks
