// Standard base64 (RFC 4648 section 4, with padding), as Kubernetes uses it for Secret data and as
// spec.encrypted stores its byte fields. Decoding is strict: no whitespace, no missing padding, no
// non-zero spare bits, so every byte string has exactly one accepted encoding.
#pragma once

#include <string>
#include <string_view>

#include "core/common/status.h"

namespace ks::crypto {

std::string Base64Encode(std::string_view bytes);

// InvalidArgument("not valid base64") without echoing the input, which may be key material.
StatusOr<std::string> Base64Decode(std::string_view text);

}  // namespace ks::crypto
