// The product's metrics: prometheus-cpp's counters, gauges and histograms behind one small
// registry, exposed in the Prometheus text format (version 0.0.4) on our own HTTPS server's
// /metrics route (core/https/standard_routes.h), so there is no second listener.
//
// Thread-safe: a metric is created on first use and lives as long as the registry, so callers may
// keep the returned references; updates are lock-free. Values that are cheaper to read when asked
// than to keep current (a queue's oldest item, counts over a cache) are set by scrape hooks.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ks::metrics {

using Labels = prometheus::Labels;
using Counter = prometheus::Counter;
using Gauge = prometheus::Gauge;
using Histogram = prometheus::Histogram;

// Request latencies in seconds, from 1 ms to 10 s.
std::vector<double> LatencyBuckets();

class Registry;

// Runs its update before every exposition of its registry until it is destroyed. Movable.
class ScrapeHook {
 public:
  ScrapeHook() = default;
  ScrapeHook(ScrapeHook&& other) noexcept;
  ScrapeHook& operator=(ScrapeHook&& other) noexcept;
  ~ScrapeHook();

 private:
  friend class Registry;
  ScrapeHook(Registry* registry, uint64_t id) : registry_(registry), id_(id) {}
  void Release();

  Registry* registry_ = nullptr;
  uint64_t id_ = 0;
};

class Registry {
 public:
  Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Returns the metric `name` with `labels`, creating it on first use. A name is one type: asking
  // for a counter under a gauge's name (or any other mix) is a programming error and throws
  // std::invalid_argument. The first call's help text is the family's.
  Counter& GetCounter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& GetGauge(std::string_view name, std::string_view help, const Labels& labels = {});
  // `upper_bounds` ascending; the +Inf bucket is implicit. They count on the series' first call.
  Histogram& GetHistogram(std::string_view name, std::string_view help, const Labels& labels = {},
                          const std::vector<double>& upper_bounds = LatencyBuckets());

  // `update` runs, on the thread asking for an Exposition, before each one until the hook is
  // destroyed; it should only set metrics, quickly. Destroy the hook before what it reads.
  [[nodiscard]] ScrapeHook OnScrape(std::function<void()> update);

  // Every metric, after the scrape hooks ran, as the body of a /metrics answer.
  std::string Exposition() const;

 private:
  friend class ScrapeHook;
  void RemoveHook(uint64_t id);

  prometheus::Registry registry_;
  mutable std::mutex hooks_mutex_;  // held while hooks run, so a hook never runs after its removal
  std::map<uint64_t, std::function<void()>> hooks_;
  uint64_t next_hook_id_ = 1;
};

// The Content-Type of an Exposition().
inline constexpr std::string_view kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace ks::metrics
