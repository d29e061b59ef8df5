// Which objects a component acts on, by their labels: Kubernetes' label selectors, in both of the
// API's forms, with the API's meaning (k8s.io/apimachinery/pkg/labels):
//   - text, as a list's labelSelector parameter and flags such as --kernel-selector take it;
//     requirements separated by commas, all of which must hold:
//       key=value, key==value   the label has that value;
//       key!=value              the label is absent or has another value;
//       key in (v1,v2)          the label has one of the values;
//       key notin (v1,v2)       the label is absent or has none of the values;
//       key                     the label exists (Kubeflow's notebook-name);
//       !key                    the label does not exist;
//   - metav1.LabelSelector JSON (matchLabels and matchExpressions with operators In, NotIn,
//     Exists, DoesNotExist), as a webhook's objectSelector takes it.
// Both forms read into the same requirements, so that a flag and an objectSelector written from
// one Helm value can be shown to select the same pods.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"

namespace ks::kube {

struct LabelRequirement {
  enum class Operator { kIn, kNotIn, kExists, kDoesNotExist };

  std::string key;
  Operator op = Operator::kExists;
  std::vector<std::string> values;  // sorted and unique; empty for kExists and kDoesNotExist

  static LabelRequirement Equals(std::string key, std::string value);
  static LabelRequirement Exists(std::string key);

  bool operator==(const LabelRequirement&) const = default;
};

class LabelSelector {
 public:
  // InvalidArgument naming the requirement that is wrong and the accepted forms, unless `text`
  // is one or more requirements as above, with label keys and values of Kubernetes' characters.
  static StatusOr<LabelSelector> Parse(std::string_view text);
  // The same from a metav1.LabelSelector; an empty one (which selects everything) is refused, as
  // is any field or operator it does not know.
  static StatusOr<LabelSelector> FromJson(const nlohmann::json& selector);

  explicit LabelSelector(std::vector<LabelRequirement> requirements);

  // True when the object's metadata.labels meets every requirement.
  bool Matches(const nlohmann::json& object) const;

  // The text form, which Parse reads back into the same requirements, in key order.
  std::string ToString() const;

  // Requirements in a canonical order (by key, then operator, then values) without repeats, so
  // that one selector written in either form, or as a=b or a in (b), compares equal.
  const std::vector<LabelRequirement>& requirements() const { return requirements_; }

 private:
  std::vector<LabelRequirement> requirements_;
};

}  // namespace ks::kube
