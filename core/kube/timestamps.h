// Kubernetes' wire formats for time, in UTC: metav1.Time (RFC 3339, whole seconds) for Events and
// metav1.MicroTime (microseconds) for Leases.
#pragma once

#include <chrono>
#include <string>

namespace ks::kube {

std::string FormatTime(std::chrono::system_clock::time_point time);
std::string FormatMicroTime(std::chrono::system_clock::time_point time);

}  // namespace ks::kube
