#include "operator/key_pacer.h"

#include <algorithm>

namespace ks::op {

KeyPacer::KeyPacer(Duration window, Clock clock) : window_(window), clock_(std::move(clock)) {}

KeyPacer::Duration KeyPacer::DelayFor(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = began_.find(key);
  if (it == began_.end()) return Duration::zero();
  return std::max(Duration::zero(), it->second + window_ - clock_());
}

void KeyPacer::Began(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto now = clock_();
  std::erase_if(began_, [&](const auto& entry) { return entry.second + window_ <= now; });
  began_[key] = now;
}

}  // namespace ks::op
