// A tiny metrics registry: counters and histograms with labels, exposed in the Prometheus text
// format (version 0.0.4). Thread-safe: metrics are created on first use and live as long as the
// registry, so callers may keep the returned references; updates are lock-free.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ks::metrics {

// Label names and values, in the order they are exposed.
using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Increment(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `upper_bounds` ascending; an implicit +Inf bucket follows the last.
  explicit Histogram(std::vector<double> upper_bounds);

  void Observe(double value);

  const std::vector<double>& upper_bounds() const { return upper_bounds_; }
  // Cumulative counts per bound, the +Inf bucket last (so its count is the total).
  std::vector<uint64_t> CumulativeCounts() const;
  double Sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> upper_bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // one per bound, plus +Inf
  std::atomic<double> sum_{0};
};

// Request latencies in seconds, from 1 ms to 10 s.
std::vector<double> LatencyBuckets();

class Registry {
 public:
  // Returns the metric `name` with `labels`, creating it on first use. A name is one type: asking
  // for a counter under a histogram's name (or the reverse) is a programming error and throws
  // std::logic_error.
  Counter& GetCounter(std::string_view name, std::string_view help, const Labels& labels = {});
  Histogram& GetHistogram(std::string_view name, std::string_view help, const Labels& labels = {},
                          const std::vector<double>& upper_bounds = LatencyBuckets());

  // Every metric, grouped by name in name order, as the body of a /metrics answer.
  std::string Exposition() const;

 private:
  enum class Type { kCounter, kHistogram };
  struct Family {
    Type type;
    std::string help;
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Histogram>> histograms;
  };

  Family& FamilyFor(std::string_view name, std::string_view help, Type type);

  mutable std::mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;
};

// The Content-Type of an Exposition().
inline constexpr std::string_view kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace ks::metrics
