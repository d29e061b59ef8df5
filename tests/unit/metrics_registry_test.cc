#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "core/metrics/registry.h"

namespace ks::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Metrics, CounterIsExposedWithHelpTypeAndLabels) {
  Registry registry;
  registry.GetCounter("requests_total", "Requests.", {{"path", "/a"}}).Increment();
  registry.GetCounter("requests_total", "Requests.", {{"path", "/a"}}).Increment(2);
  registry.GetCounter("requests_total", "Requests.", {{"path", "/b"}});
  const std::string exposition = registry.Exposition();
  EXPECT_THAT(exposition, HasSubstr("# HELP requests_total Requests.\n# TYPE requests_total counter\n"));
  EXPECT_THAT(exposition, HasSubstr("requests_total{path=\"/a\"} 3\n"));
  EXPECT_THAT(exposition, HasSubstr("requests_total{path=\"/b\"} 0\n"));
}

TEST(Metrics, GaugesAreSetAndExposed) {
  Registry registry;
  registry.GetGauge("leader", "Leading.").Set(1);
  registry.GetGauge("expiry_timestamp_seconds", "Expiry.").Set(1798761600);
  const std::string exposition = registry.Exposition();
  EXPECT_THAT(exposition, HasSubstr("# TYPE leader gauge\nleader 1\n"));
  EXPECT_THAT(exposition, HasSubstr("expiry_timestamp_seconds 1798761600\n"));
}

TEST(Metrics, HistogramBucketsAreCumulativeAndBoundsInclusive) {
  Registry registry;
  Histogram& latency = registry.GetHistogram("latency_seconds", "Latency.", {}, {0.1, 1});
  latency.Observe(0.1);  // on a bound: counted in that bucket
  latency.Observe(0.65);
  latency.Observe(7);
  const std::string exposition = registry.Exposition();
  EXPECT_THAT(exposition, HasSubstr("# TYPE latency_seconds histogram\n"));
  EXPECT_THAT(exposition, HasSubstr("latency_seconds_bucket{le=\"0.1\"} 1\n"
                                    "latency_seconds_bucket{le=\"1\"} 2\n"
                                    "latency_seconds_bucket{le=\"+Inf\"} 3\n"));
  EXPECT_THAT(exposition, HasSubstr("latency_seconds_sum 7.75\n"));
  EXPECT_THAT(exposition, HasSubstr("latency_seconds_count 3\n"));
}

TEST(Metrics, LabelValuesAreEscaped) {
  Registry registry;
  registry.GetCounter("c", "C.", {{"path", "a\"b\\c\nd"}}).Increment();
  EXPECT_THAT(registry.Exposition(), HasSubstr(R"(c{path="a\"b\\c\nd"} 1)"));
}

TEST(Metrics, ANameHasOneType) {
  Registry registry;
  registry.GetCounter("m", "M.");
  EXPECT_THROW(registry.GetHistogram("m", "M."), std::invalid_argument);
  EXPECT_THROW(registry.GetGauge("m", "M."), std::invalid_argument);
}

TEST(Metrics, ScrapeHooksRunBeforeEachExpositionUntilDestroyed) {
  Registry registry;
  Gauge& depth = registry.GetGauge("depth", "Depth.");
  int scrapes = 0;
  {
    ScrapeHook hook = registry.OnScrape([&] { depth.Set(++scrapes * 10); });
    EXPECT_THAT(registry.Exposition(), HasSubstr("depth 10\n"));
    ScrapeHook moved = std::move(hook);  // the moved-from hook removes nothing
    EXPECT_THAT(registry.Exposition(), HasSubstr("depth 20\n"));
  }
  EXPECT_THAT(registry.Exposition(), HasSubstr("depth 20\n"));
  EXPECT_THAT(registry.Exposition(), Not(HasSubstr("depth 30\n")));
  EXPECT_EQ(scrapes, 2);
}

}  // namespace
}  // namespace ks::metrics
