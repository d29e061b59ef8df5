#include "core/metrics/registry.h"

#include <prometheus/text_serializer.h>

#include <utility>

namespace ks::metrics {

std::vector<double> LatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

ScrapeHook::ScrapeHook(ScrapeHook&& other) noexcept
    : registry_(std::exchange(other.registry_, nullptr)), id_(other.id_) {}

ScrapeHook& ScrapeHook::operator=(ScrapeHook&& other) noexcept {
  if (this != &other) {
    Release();
    registry_ = std::exchange(other.registry_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

ScrapeHook::~ScrapeHook() { Release(); }

void ScrapeHook::Release() {
  if (registry_ != nullptr) std::exchange(registry_, nullptr)->RemoveHook(id_);
}

// Merge: asking again for a family by its name returns the one registered first.
Registry::Registry() : registry_(prometheus::Registry::InsertBehavior::Merge) {}

Counter& Registry::GetCounter(std::string_view name, std::string_view help, const Labels& labels) {
  return prometheus::BuildCounter().Name(std::string(name)).Help(std::string(help)).Register(registry_).Add(labels);
}

Gauge& Registry::GetGauge(std::string_view name, std::string_view help, const Labels& labels) {
  return prometheus::BuildGauge().Name(std::string(name)).Help(std::string(help)).Register(registry_).Add(labels);
}

Histogram& Registry::GetHistogram(std::string_view name, std::string_view help, const Labels& labels,
                                  const std::vector<double>& upper_bounds) {
  auto& family = prometheus::BuildHistogram().Name(std::string(name)).Help(std::string(help)).Register(registry_);
  return family.Add(labels, Histogram::BucketBoundaries(upper_bounds));
}

ScrapeHook Registry::OnScrape(std::function<void()> update) {
  std::lock_guard lock(hooks_mutex_);
  const uint64_t id = next_hook_id_++;
  hooks_.emplace(id, std::move(update));
  return ScrapeHook(this, id);
}

void Registry::RemoveHook(uint64_t id) {
  std::lock_guard lock(hooks_mutex_);
  hooks_.erase(id);
}

std::string Registry::Exposition() const {
  {
    std::lock_guard lock(hooks_mutex_);
    for (const auto& [id, update] : hooks_) update();
  }
  return prometheus::TextSerializer().Serialize(registry_.Collect());
}

}  // namespace ks::metrics
