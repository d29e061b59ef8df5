#include "core/api/secret_name.h"

#include <string>

namespace ks::api {
namespace {

bool IsLatinLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Status Refuse(std::string_view name, std::string_view problem) {
  return InvalidArgument("invalid secret name \"" + std::string(name) + "\": " + std::string(problem) + "; " +
                         std::string(kSecretNameRule));
}

}  // namespace

Status ValidateSecretName(std::string_view name) {
  if (name.size() < 3) return Refuse(name, "it is shorter than 3 characters");
  if (name.size() > 63) return Refuse(name, "it is longer than 63 characters");
  if (!IsLatinLetter(name.front())) return Refuse(name, "it does not start with a letter");
  if (name.back() == '-' || name.back() == '_') {
    return Refuse(name, "it ends with a hyphen or underscore");
  }
  for (char c : name) {
    if (!IsLatinLetter(c) && !IsDigit(c) && c != '-') {
      return Refuse(name, "it contains a character other than a Latin letter, digit or hyphen");
    }
  }
  return Status::Ok();
}

}  // namespace ks::api
