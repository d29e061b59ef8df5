// The operator's validating webhook for secretshares.kernelsecrets.dev (operator/share_admission.h)
// behind the AdmissionReview reader, with community admins decided by name (operator_fixture.h).
#include "tests/fuzz/operator_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ks::fuzz::ServeReview(data, size, [](const ks::admission::AdmissionRequest& request) {
    return ks::fuzz::FixedShareAdmission().Validate(request);
  });
  return 0;
}
