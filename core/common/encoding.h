// Byte encodings used across the project: standard base64 (Kubernetes Secret data, AdmissionReview
// patches, sealed values) and hex SHA-256 digests. Built on OpenSSL.
#pragma once

#include <string>
#include <string_view>

#include "core/common/status.h"

namespace ks {

std::string Base64Encode(std::string_view bytes);
// InvalidArgument on characters outside the standard alphabet or bad padding.
StatusOr<std::string> Base64Decode(std::string_view text);

std::string Sha256Hex(std::string_view bytes);

}  // namespace ks
