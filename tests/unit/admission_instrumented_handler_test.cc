#include <gtest/gtest.h>

#include <stdexcept>

#include "core/admission/instrumented_handler.h"

namespace ks::admission {
namespace {

double Decisions(metrics::Registry& metrics, const char* result) {
  return metrics.GetCounter("kernel_secrets_admission_decisions_total", "", {{"webhook", "test"}, {"result", result}})
      .Value();
}

TEST(InstrumentedHandler, CountsEachDecisionByResult) {
  metrics::Registry metrics;
  int calls = 0;
  AdmissionHandler handler = Instrumented(
      [&calls](const AdmissionRequest&) -> AdmissionDecision {
        switch (calls++) {
          case 0:
            return AdmissionDecision::Allow();
          case 1:
            return AdmissionDecision::Deny(403, "no");
          default:
            throw std::runtime_error("boom");
        }
      },
      "test", metrics);
  EXPECT_EQ(Decisions(metrics, "allowed"), 0);  // exposed before the first review

  EXPECT_TRUE(handler({}).allowed);
  EXPECT_FALSE(handler({}).allowed);
  EXPECT_THROW(handler({}), std::runtime_error);

  EXPECT_EQ(Decisions(metrics, "allowed"), 1);
  EXPECT_EQ(Decisions(metrics, "denied"), 1);
  EXPECT_EQ(Decisions(metrics, "error"), 1);
  EXPECT_NE(metrics.Exposition().find("kernel_secrets_admission_duration_seconds_count{webhook=\"test\"} 3\n"),
            std::string::npos)
      << "every review is timed, the failed one too";
}

}  // namespace
}  // namespace ks::admission
