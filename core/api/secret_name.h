// The product's rule for a secret's name, which is also the environment variable a kernel sees.
#pragma once

#include <string_view>

#include "core/common/status.h"

namespace ks::api {

// The rule, as users read it in every refusal.
inline constexpr std::string_view kSecretNameRule =
    "a secret name is 3 to 63 characters long, contains only Latin letters (A-Z, a-z), digits and "
    "hyphens, starts with a letter, and does not end with a hyphen or underscore";

// Ok, or InvalidArgument saying what is wrong with `name` followed by the rule.
Status ValidateSecretName(std::string_view name);

}  // namespace ks::api
