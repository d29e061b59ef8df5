#include "core/admission/instrumented_handler.h"

#include <chrono>

namespace ks::admission {

AdmissionHandler Instrumented(AdmissionHandler handler, std::string webhook, metrics::Registry& metrics) {
  auto counter = [&metrics, webhook](const char* result) -> metrics::Counter& {
    return metrics.GetCounter("kernel_secrets_admission_decisions_total", "Admission decisions, by webhook and result.",
                              {{"webhook", webhook}, {"result", result}});
  };
  // Created up front so that every series is exposed, at zero, before the first review.
  metrics::Counter& allowed = counter("allowed");
  metrics::Counter& denied = counter("denied");
  metrics::Counter& failed = counter("error");
  metrics::Histogram& duration = metrics.GetHistogram(
      "kernel_secrets_admission_duration_seconds",
      "Time the webhook took to decide one admission review, errors included, by webhook.", {{"webhook", webhook}});
  return [handler = std::move(handler), &allowed, &denied, &failed, &duration](const AdmissionRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    const auto observe = [&] {
      duration.Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    };
    try {
      AdmissionDecision decision = handler(request);
      observe();
      (decision.allowed ? allowed : denied).Increment();
      return decision;
    } catch (...) {
      observe();
      failed.Increment();
      throw;
    }
  };
}

}  // namespace ks::admission
