// Records core/v1 Events about objects, as `kubectl describe` shows them. A repeat of the same
// event (object, type, reason, message) within ten minutes raises the count of the first one
// instead of creating another. Failures are logged, never returned: an Event informs, it is not a
// result anyone waits for. Messages must never hold a secret's value. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/kube/client.h"

namespace ks::kube {

enum class EventType { kNormal, kWarning };

// Where Events go: the API (EventRecorder), or a test's list.
class EventSink {
 public:
  virtual ~EventSink() = default;
  // `involved_object` needs apiVersion, kind and metadata.name (namespace and uid if it has them).
  virtual void Record(const json& involved_object, EventType type, const std::string& reason,
                      const std::string& message) = 0;
};

class EventRecorder : public EventSink {
 public:
  // `client` must outlive the recorder; `component` is the Event's source.component.
  EventRecorder(Client& client, std::string component);

  // Blocks for the API call.
  void Record(const json& involved_object, EventType type, const std::string& reason,
              const std::string& message) override;

 private:
  struct Recorded {
    std::string event_namespace;
    std::string event_name;
    int count = 0;
    std::chrono::steady_clock::time_point last_seen;
  };

  bool Create(const json& involved_object, const std::string& type, const std::string& reason,
              const std::string& message, Recorded& recorded);
  bool IncrementCount(Recorded& recorded);
  void ForgetExpiredLocked(std::chrono::steady_clock::time_point now);

  Client& client_;
  const std::string component_;
  std::mutex mutex_;
  std::unordered_map<std::string, Recorded> recent_;  // by object, type, reason and message
};

}  // namespace ks::kube
