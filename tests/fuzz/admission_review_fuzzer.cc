// The AdmissionReview reader and writer (core/admission/review.h) with a handler that knows
// nothing: what any webhook body reaches before a product handler sees it, and the JSON Patch
// written back for a mutated object.
#include "tests/fuzz/fuzz_support.h"

namespace {

using ks::admission::AdmissionDecision;
using ks::admission::AdmissionRequest;

// Adds one member to an object, so that every review with an object gets a patch and a warning.
AdmissionDecision Touch(const AdmissionRequest& request) {
  if (!request.object.is_object()) return AdmissionDecision::Allow().WithWarning("no object");
  nlohmann::json mutated = request.object;
  mutated["fuzzed"] = request.uid;
  return AdmissionDecision::AllowWithObject(std::move(mutated));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ks::fuzz::ServeReview(data, size, Touch);
  return 0;
}
