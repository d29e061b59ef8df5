// What the harnesses share: the input as text, quiet logs, a fixed keyring, and the AdmissionReview
// round trip with the checks every answer of ServeAdmission must pass. A failed check aborts, so
// that libFuzzer saves the input as a reproducer just as it does for a crash.
#pragma once

#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/admission/review.h"
#include "core/common/encoding.h"
#include "core/crypto/keyring.h"

namespace ks::fuzz {

inline std::string Text(const uint8_t* data, size_t size) { return {reinterpret_cast<const char*>(data), size}; }

// A property the code under test promised and broke: reported like a crash.
inline void Require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}

// Error logs on every rejected input would cost most of the run's time; KS_FUZZ_LOG=1 keeps them,
// e.g. to see which inputs of a corpus make a handler throw.
inline const bool kLogsQuiet = [] {
  if (std::getenv("KS_FUZZ_LOG") == nullptr) spdlog::set_level(spdlog::level::off);
  return true;
}();

// The keyring of the unit tests: k1 active, k2 an older key, recognisable bytes.
inline std::shared_ptr<const crypto::Keyring> FixedKeyring() {
  static const auto keyring = [] {
    const std::string yaml = "active: k1\nkeys:\n  - id: k1\n    secret: " + Base64Encode(std::string(32, 'a')) +
                             "\n  - id: k2\n    secret: " + Base64Encode(std::string(32, 'b')) + "\n";
    StatusOr<crypto::Keyring> parsed = crypto::Keyring::Parse(yaml);
    Require(parsed.ok(), "the fixed keyring parses");
    return std::make_shared<const crypto::Keyring>(std::move(*parsed));
  }();
  return keyring;
}

// The input as the body of an AdmissionReview POST, through ServeAdmission to `handler`, as the
// servers route it. Checks what the API server relies on: a 400 for what is not a review, and
// otherwise a 200 AdmissionReview response with the request's uid and, when there is a patch, a
// base64 JSON Patch that applies to the request's object.
inline void ServeReview(const uint8_t* data, size_t size, const admission::AdmissionHandler& handler) {
  const https::HttpRequest request{
      .method = "POST", .path = "/", .headers = {{"content-type", "application/json"}}, .body = Text(data, size)};
  const https::HttpResponse answer = admission::ServeAdmission(request, handler);
  if (answer.status == 400) return;
  Require(answer.status == 200, "an AdmissionReview is answered 200 or 400");

  using nlohmann::json;
  const json review = json::parse(answer.body);  // throws, and so aborts, when it is not JSON
  const json sent = json::parse(request.body);
  const json& response = review.at("response");
  Require(response.at("uid") == sent.at("request").at("uid"), "the answer carries the request's uid");
  Require(response.at("allowed").is_boolean(), "the answer says whether the object is allowed");
  if (!response.contains("patch")) return;
  Require(response.value("patchType", "") == "JSONPatch", "a patch is a JSON Patch");
  StatusOr<std::string> patch = Base64Decode(response["patch"].get<std::string>());
  Require(patch.ok(), "the patch is base64");
  const json object = sent["request"].value("object", json());
  object.patch(json::parse(*patch));  // throws, and so aborts, when it does not apply
}

}  // namespace ks::fuzz
