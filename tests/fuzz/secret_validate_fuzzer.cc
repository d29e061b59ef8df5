// The operator's validating webhook for secrets.kernelsecrets.dev (operator/secret_admission.h)
// behind the AdmissionReview reader: it sees the object after every mutating webhook, so its
// input is whatever those left.
#include "tests/fuzz/operator_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ks::fuzz::ServeReview(data, size, [](const ks::admission::AdmissionRequest& request) {
    return ks::fuzz::FixedSecretAdmission().Validate(request);
  });
  return 0;
}
