#include "core/admission/instrumented_handler.h"

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
