// Which pods are notebook kernels: those carrying one label with one value, given on the command
// line as --kernel-selector key=value (default kernelsecrets.dev/inject=true).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/common/status.h"

namespace ks::injector {

struct KernelSelector {
  std::string key;
  std::string value;

  // InvalidArgument, stating the expected form, unless `text` is key=value with a non-empty key
  // and exactly one '='.
  static StatusOr<KernelSelector> Parse(std::string_view text);

  // True when the pod's metadata.labels has `key` with exactly `value`.
  bool Matches(const nlohmann::json& pod) const;
};

}  // namespace ks::injector
