#include <gtest/gtest.h>

#include <chrono>

#include "core/common/signals.h"

namespace ks {
namespace {

using std::chrono::milliseconds;

TEST(AwaitReadyOrStop, ReturnsReadyOnceTheConditionHolds) {
  const TerminationSignals signals;
  int calls = 0;
  const auto ready = [&calls](milliseconds) { return ++calls == 3; };
  EXPECT_EQ(AwaitReadyOrStop(signals, ready, std::chrono::minutes(1)), ReadyOrStopped::kReady);
  EXPECT_EQ(calls, 3);
}

TEST(AwaitReadyOrStop, GivesUpAtTheTimeout) {
  const TerminationSignals signals;
  const auto never = [](milliseconds) { return false; };
  EXPECT_EQ(AwaitReadyOrStop(signals, never, milliseconds(0)), ReadyOrStopped::kTimedOut);
}

TEST(AwaitReadyOrStop, StopsAtATerminationSignalAndConsumesIt) {
  const TerminationSignals signals;
  TerminationSignals::RequestStop();  // blocked in this thread, so it waits to be collected
  const auto never = [](milliseconds) { return false; };
  EXPECT_EQ(AwaitReadyOrStop(signals, never, std::chrono::minutes(1)), ReadyOrStopped::kStopRequested);
  EXPECT_FALSE(signals.WaitFor(milliseconds(0))) << "the signal was collected once";
}

}  // namespace
}  // namespace ks
