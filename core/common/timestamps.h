// Time as Kubernetes writes it, in UTC: RFC 3339 with whole seconds (metav1.Time, e.g. an Event's
// lastTimestamp or a sealed value's sealedAt) and with microseconds (metav1.MicroTime, a Lease's
// renewTime). The one formatter of timestamps.
#pragma once

#include <chrono>
#include <string>

namespace ks {

// "2006-01-02T15:04:05Z"
std::string FormatTime(std::chrono::system_clock::time_point time);
// "2006-01-02T15:04:05.000000Z"
std::string FormatMicroTime(std::chrono::system_clock::time_point time);

}  // namespace ks
