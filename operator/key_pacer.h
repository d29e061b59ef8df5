// Spaces the reconciles of each key: a key not reconciled within the last `window` may go at once;
// one that was waits until `window` after that reconcile began. In a burst of changes to one
// project this writes its native Secret about once per window instead of once per change, while a
// lone change is looked at without delay. Thread-safe; time comes from an injectable clock.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ks::op {

class KeyPacer {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using Duration = std::chrono::steady_clock::duration;

  explicit KeyPacer(Duration window, Clock clock = std::chrono::steady_clock::now);

  // How long `key` must wait before its next reconcile may begin (zero: now).
  Duration DelayFor(const std::string& key);
  // A reconcile of `key` begins now.
  void Began(const std::string& key);

 private:
  const Duration window_;
  const Clock clock_;
  std::mutex mutex_;
  // Keys whose last reconcile began within the window; older entries are dropped as time passes.
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> began_;
};

}  // namespace ks::op
