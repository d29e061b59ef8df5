// The product's rule for a secret's name, which is also the environment variable a kernel sees.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/common/status.h"

namespace ks::api {

// The rule, as users read it in every refusal.
inline constexpr std::string_view kSecretNameRule =
    "a secret name is 3 to 63 characters long, contains only Latin letters (A-Z, a-z), digits and "
    "hyphens, starts with a letter, and does not end with a hyphen or underscore";

// Ok, or InvalidArgument saying what is wrong with `name` followed by the rule.
Status ValidateSecretName(std::string_view name);

// The second rule, for names that pass the first: a secret must not be a variable that changes how
// a program starts (the dynamic loader's, a shell's, Python's, Jupyter's, a language runtime's),
// because a kernel that gets the secret would start differently, and with a share so would every
// kernel of the community. Stated in every refusal; docs/user-guide.md lists the names.
inline constexpr std::string_view kStartupNameRule =
    "names that programs read when they start are refused (docs/user-guide.md#names-that-are-refused)";

// Which program reads `name` when it starts and what that does, or nullopt for a harmless name.
// Case-sensitive, as the programs are. The list is the programs' own, not cut down to what
// ValidateSecretName allows today, so loosening that rule (underscores) cannot open it.
std::optional<std::string> WhyNameChangesStartup(std::string_view name);

// Ok, or InvalidArgument naming the program that reads `name`, followed by kStartupNameRule.
Status ValidateNameIsNotStartupVariable(std::string_view name);

}  // namespace ks::api
