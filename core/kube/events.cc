#include "core/kube/events.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <optional>

#include "core/common/timestamps.h"
#include "core/kube/object.h"

namespace ks::kube {
namespace {

constexpr auto kAggregationWindow = std::chrono::minutes(10);
constexpr std::size_t kRememberedEvents = 1024;  // beyond it, expired entries are dropped

std::string TypeName(EventType type) { return type == EventType::kWarning ? "Warning" : "Normal"; }

// The object's name and the time in hexadecimal nanoseconds, as client-go names Events.
std::string EventName(const std::string& object_name) {
  const auto nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, ".%llx", static_cast<unsigned long long>(nanos));
  return object_name + suffix;
}

json InvolvedObject(const json& object) {
  json reference = {{"apiVersion", object.value("apiVersion", "")},
                    {"kind", object.value("kind", "")},
                    {"name", MetadataField(object, "name")}};
  for (const char* field : {"namespace", "uid", "resourceVersion"}) {
    if (std::string value = MetadataField(object, field); !value.empty()) reference[field] = std::move(value);
  }
  return reference;
}

}  // namespace

EventRecorder::EventRecorder(Client& client, std::string component)
    : client_(client), component_(std::move(component)) {}

void EventRecorder::Record(const json& involved_object, EventType type, const std::string& reason,
                           const std::string& message) {
  const std::string type_name = TypeName(type);
  const std::string key = MetadataField(involved_object, "uid") + "|" + ObjectKey(involved_object) + "|" + type_name +
                          "|" + reason + "|" + message;
  const auto now = std::chrono::steady_clock::now();

  std::optional<Recorded> previous;
  {
    std::lock_guard lock(mutex_);
    ForgetExpiredLocked(now);
    if (auto it = recent_.find(key); it != recent_.end() && now - it->second.last_seen < kAggregationWindow) {
      previous = it->second;
    }
  }
  // The API calls run unlocked: a slow API server must not hold up every other recorder user.
  Recorded recorded;
  if (previous && IncrementCount(*previous)) {
    recorded = *previous;
  } else if (!Create(involved_object, type_name, reason, message, recorded)) {
    return;
  }
  recorded.last_seen = now;
  std::lock_guard lock(mutex_);
  recent_[key] = std::move(recorded);
}

bool EventRecorder::Create(const json& involved_object, const std::string& type, const std::string& reason,
                           const std::string& message, Recorded& recorded) {
  std::string ns = MetadataField(involved_object, "namespace");
  if (ns.empty()) ns = "default";  // where Events about cluster-scoped objects go
  const std::string now = FormatTime(std::chrono::system_clock::now());
  const json event = {{"apiVersion", "v1"},
                      {"kind", "Event"},
                      {"metadata", {{"name", EventName(MetadataField(involved_object, "name"))}, {"namespace", ns}}},
                      {"involvedObject", InvolvedObject(involved_object)},
                      {"type", type},
                      {"reason", reason},
                      {"message", message},
                      {"source", {{"component", component_}}},
                      {"firstTimestamp", now},
                      {"lastTimestamp", now},
                      {"count", 1}};
  StatusOr<json> created = client_.Create(resources::kEvents, ns, event);
  if (!created.ok()) {
    spdlog::warn("cannot record event {} for {}: {}", reason, ObjectKey(involved_object), created.status().ToString());
    return false;
  }
  recorded = {ns, MetadataField(*created, "name"), 1, {}};
  return true;
}

bool EventRecorder::IncrementCount(Recorded& recorded) {
  const json patch = {{"count", recorded.count + 1}, {"lastTimestamp", FormatTime(std::chrono::system_clock::now())}};
  StatusOr<json> patched = client_.MergePatch(resources::kEvents, recorded.event_namespace, recorded.event_name, patch);
  if (!patched.ok()) return false;  // e.g. the Event expired: the caller creates a new one
  ++recorded.count;
  return true;
}

void EventRecorder::ForgetExpiredLocked(std::chrono::steady_clock::time_point now) {
  if (recent_.size() < kRememberedEvents) return;
  std::erase_if(recent_, [now](const auto& entry) { return now - entry.second.last_seen >= kAggregationWindow; });
}

}  // namespace ks::kube
