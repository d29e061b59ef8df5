#include <gtest/gtest.h>

#include <stdexcept>

#include "core/metrics/registry.h"

namespace ks::metrics {
namespace {

TEST(Metrics, CounterIsExposedWithHelpTypeAndLabels) {
  Registry registry;
  registry.GetCounter("requests_total", "Requests.", {{"path", "/a"}}).Increment();
  registry.GetCounter("requests_total", "Requests.", {{"path", "/a"}}).Increment(2);
  registry.GetCounter("requests_total", "Requests.", {{"path", "/b"}});
  EXPECT_EQ(registry.Exposition(),
            "# HELP requests_total Requests.\n"
            "# TYPE requests_total counter\n"
            "requests_total{path=\"/a\"} 3\n"
            "requests_total{path=\"/b\"} 0\n");
}

TEST(Metrics, HistogramBucketsAreCumulativeAndBoundsInclusive) {
  Registry registry;
  Histogram& latency = registry.GetHistogram("latency_seconds", "Latency.", {}, {0.1, 1});
  latency.Observe(0.1);  // on a bound: counted in that bucket
  latency.Observe(0.65);
  latency.Observe(7);
  EXPECT_EQ(registry.Exposition(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{le=\"0.1\"} 1\n"
            "latency_seconds_bucket{le=\"1\"} 2\n"
            "latency_seconds_bucket{le=\"+Inf\"} 3\n"
            "latency_seconds_sum 7.75\n"
            "latency_seconds_count 3\n");
}

TEST(Metrics, LabelValuesAreEscaped) {
  Registry registry;
  registry.GetCounter("c", "C.", {{"path", "a\"b\\c\nd"}}).Increment();
  EXPECT_NE(registry.Exposition().find(R"(c{path="a\"b\\c\nd"} 1)"), std::string::npos) << registry.Exposition();
}

TEST(Metrics, ANameHasOneType) {
  Registry registry;
  registry.GetCounter("m", "M.");
  EXPECT_THROW(registry.GetHistogram("m", "M."), std::logic_error);
}

}  // namespace
}  // namespace ks::metrics
