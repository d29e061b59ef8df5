// The operator's mutating webhook for secrets.kernelsecrets.dev (operator/secret_admission.h)
// behind the AdmissionReview reader: seals spec.value, reads copyFrom sources, scrubs the
// last-applied annotation; any project member's kubectl apply reaches it.
#include "tests/fuzz/operator_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ks::fuzz::ServeReview(data, size, [](const ks::admission::AdmissionRequest& request) {
    return ks::fuzz::FixedSecretAdmission().Mutate(request);
  });
  return 0;
}
