// Reading the components' /metrics on the local cluster, where scripts/local-up serves them on
// loopback and says where in its env file (KERNEL_SECRETS_OPERATOR_PORT, ..._INJECTOR_PORT and
// the CA in KERNEL_SECRETS_WEBHOOK_CA).
#pragma once

#include <optional>
#include <string>

namespace ks::e2e {

enum class Component { kOperator, kInjector };

// The component's /metrics answer; empty (and a test failure) when the env file is not sourced.
std::string ScrapeMetrics(Component component);

// The value of the series written exactly as `series` (a name, then its labels in the order the
// exposition writes them, which is by label name), or nullopt when the exposition lacks it.
std::optional<double> SeriesValue(const std::string& exposition, const std::string& series);

}  // namespace ks::e2e
