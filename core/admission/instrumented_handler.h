// Counts an admission handler's decisions into kernel_secrets_admission_decisions_total{webhook,result}, where
// result is allowed, denied or error (the handler threw; the exception passes through unchanged to
// ServeAdmission, which answers for it), and times each one in
// kernel_secrets_admission_duration_seconds{webhook}: the decision alone, where the HTTPS server's
// request latencies include reading and parsing the review.
#pragma once

#include <string>

#include "core/admission/review.h"
#include "core/metrics/registry.h"

namespace ks::admission {

// `metrics` must outlive the returned handler.
AdmissionHandler Instrumented(AdmissionHandler handler, std::string webhook, metrics::Registry& metrics);

}  // namespace ks::admission
