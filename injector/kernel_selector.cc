#include "injector/kernel_selector.h"

namespace ks::injector {

StatusOr<KernelSelector> KernelSelector::Parse(std::string_view text) {
  const auto equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0 || text.find('=', equals + 1) != std::string_view::npos) {
    return InvalidArgument("--kernel-selector must be one label as key=value (e.g. kernelsecrets.dev/inject=true), got \"" +
                           std::string(text) + "\"");
  }
  return KernelSelector{.key = std::string(text.substr(0, equals)), .value = std::string(text.substr(equals + 1))};
}

bool KernelSelector::Matches(const nlohmann::json& pod) const {
  const auto label = nlohmann::json::json_pointer("/metadata/labels") / key;
  return pod.contains(label) && pod.at(label) == value;
}

}  // namespace ks::injector
