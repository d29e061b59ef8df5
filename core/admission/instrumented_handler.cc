#include "core/admission/instrumented_handler.h"

namespace ks::admission {

AdmissionHandler Instrumented(AdmissionHandler handler, std::string webhook, https::MetricsRegistry& metrics) {
  auto counter = [&metrics, webhook](const char* result) -> https::Counter& {
    return metrics.GetCounter("kernel_secrets_admission_decisions_total", "Admission decisions, by webhook and result.",
                              {{"webhook", webhook}, {"result", result}});
  };
  // Created up front so that every series is exposed, at zero, before the first review.
  https::Counter& allowed = counter("allowed");
  https::Counter& denied = counter("denied");
  https::Counter& failed = counter("error");
  return [handler = std::move(handler), &allowed, &denied, &failed](const AdmissionRequest& request) {
    try {
      AdmissionDecision decision = handler(request);
      (decision.allowed ? allowed : denied).Increment();
      return decision;
    } catch (...) {
      failed.Increment();
      throw;
    }
  };
}

}  // namespace ks::admission
