// What the fuzz harnesses of tests/fuzz found, one test per finding, each with the input shape of
// its reproducer under tests/fuzz/crashes/. A finding that crashed the process is run in a death
// test's child, so that a regression fails the test and the rest of unit_tests still runs. Both
// failed on the code as the fuzzer found it (fixed by core/common/bounded_json.h).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/admission/review.h"

namespace ks {
namespace {

https::HttpRequest ReviewPost(std::string body) {
  return {.method = "POST", .path = "/", .headers = {{"content-type", "application/json"}}, .body = std::move(body)};
}

// An AdmissionReview whose request.object is the JSON text `object`.
std::string ReviewWithObject(const std::string& object) {
  return R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","object":)" + object +
         "}}";
}

// An AdmissionReview whose object is `depth` nested arrays.
std::string ReviewWithNestedObject(size_t depth) {
  return ReviewWithObject(std::string(depth, '[') + std::string(depth, ']'));
}

const admission::AdmissionHandler kAllow = [](const admission::AdmissionRequest&) {
  return admission::AdmissionDecision::Allow();
};

// tests/fuzz/crashes/admission_review/deeply-nested-object: the parser accepts any depth, and the
// first copy of the parsed object recurses once per level until the stack overflows (signal 11 in
// the servers). A body of 2 MB, under the servers' 3 MiB limit, is enough for their I/O threads.
TEST(FuzzFindings, DeeplyNestedReviewIsRefusedNotACrash) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        const https::HttpResponse answer =
            admission::ServeAdmission(ReviewPost(ReviewWithNestedObject(1'000'000)), kAllow);
        std::exit(answer.status == 400 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "")
      << "ServeAdmission must answer 400 to a review nested a million levels deep, and must not crash";
}

// tests/fuzz/crashes/*/number-beyond-double-range (every admission harness found it within
// seconds): nlohmann reports a number beyond a double's range as out_of_range, not parse_error,
// so ServeAdmission lets the exception out instead of answering 400. The servers' Router turns it
// into a 500, the process survives; the API server gets an internal error for a malformed body.
TEST(FuzzFindings, NumberBeyondDoubleRangeIsRefusedWith400) {
  for (const std::string& body : {std::string("81e309"), ReviewWithObject("1e309")}) {
    https::HttpResponse answer;
    EXPECT_NO_THROW(answer = admission::ServeAdmission(ReviewPost(body), kAllow)) << body;
    EXPECT_EQ(answer.status, 400) << body;
  }
}

}  // namespace
}  // namespace ks
