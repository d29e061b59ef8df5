#include "injector/kernel_selector.h"

#include <cctype>

namespace ks::injector {

namespace {

// The characters of Kubernetes label keys (prefix/name) and values; the full length and
// start/end rules are the API server's to enforce on the pods themselves.
bool IsLabelText(std::string_view text, bool allow_slash) {
  for (char c : text) {
    const bool ok =
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || (allow_slash && c == '/');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

StatusOr<KernelSelector> KernelSelector::Parse(std::string_view text) {
  const auto equals = text.find('=');
  const std::string_view key = text.substr(0, equals);
  const std::string_view value = equals == std::string_view::npos ? "" : text.substr(equals + 1);
  if (equals == std::string_view::npos || key.empty() || !IsLabelText(key, true) || !IsLabelText(value, false)) {
    return InvalidArgument(
        "--kernel-selector must be one label as key=value (e.g. kernelsecrets.dev/inject=true), got \"" +
        std::string(text) + "\"");
  }
  return KernelSelector{.key = std::string(key), .value = std::string(value)};
}

bool KernelSelector::Matches(const nlohmann::json& pod) const {
  const auto label = nlohmann::json::json_pointer("/metadata/labels") / key;
  return pod.contains(label) && pod.at(label) == value;
}

}  // namespace ks::injector
