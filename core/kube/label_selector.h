// Which objects a component acts on, by their labels: the subset of Kubernetes' label selector
// syntax that a webhook's objectSelector and a list's labelSelector both express, given on command
// lines such as --kernel-selector. Requirements are separated by commas and must all hold:
//   key=value   the label is present with exactly that value;
//   key         the label is present, with any value (Kubeflow's notebook-name).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"

namespace ks::kube {

struct LabelRequirement {
  std::string key;
  std::optional<std::string> value;  // nullopt: the key must exist

  bool operator==(const LabelRequirement&) const = default;
};

class LabelSelector {
 public:
  // InvalidArgument naming the requirement that is wrong and the accepted forms, unless `text`
  // is one or more requirements as above, with label keys and values of Kubernetes' characters.
  static StatusOr<LabelSelector> Parse(std::string_view text);

  explicit LabelSelector(std::vector<LabelRequirement> requirements) : requirements_(std::move(requirements)) {}

  // True when the object's metadata.labels meets every requirement.
  bool Matches(const nlohmann::json& object) const;

  // The selector as Parse reads it and as the API's labelSelector parameter takes it.
  std::string ToString() const;

  const std::vector<LabelRequirement>& requirements() const { return requirements_; }

 private:
  std::vector<LabelRequirement> requirements_;
};

}  // namespace ks::kube
