#include "core/kube/label_selector.h"

#include <cctype>

namespace ks::kube {

namespace {

// The characters of Kubernetes label keys (prefix/name) and values; the full length and
// start/end rules are the API server's to enforce on the objects themselves.
bool IsLabelText(std::string_view text, bool allow_slash) {
  for (char c : text) {
    const bool ok =
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || (allow_slash && c == '/');
    if (!ok) return false;
  }
  return true;
}

// nullopt unless `text` is key=value or key.
std::optional<LabelRequirement> ParseRequirement(std::string_view text) {
  const auto equals = text.find('=');
  const std::string_view key = text.substr(0, equals);
  if (key.empty() || !IsLabelText(key, true)) return std::nullopt;
  if (equals == std::string_view::npos) return LabelRequirement{.key = std::string(key), .value = std::nullopt};
  const std::string_view value = text.substr(equals + 1);
  if (!IsLabelText(value, false)) return std::nullopt;
  return LabelRequirement{.key = std::string(key), .value = std::string(value)};
}

}  // namespace

StatusOr<LabelSelector> LabelSelector::Parse(std::string_view text) {
  std::vector<LabelRequirement> requirements;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string_view part = text.substr(start, comma == std::string_view::npos ? comma : comma - start);
    std::optional<LabelRequirement> requirement = ParseRequirement(part);
    if (!requirement) {
      return InvalidArgument("label selector \"" + std::string(text) + "\": \"" + std::string(part) +
                             "\" is not a requirement; each of its comma-separated requirements must be key=value "
                             "(the label has that value, e.g. component=kernel) or key (the label exists, e.g. "
                             "notebook-name), with the characters of Kubernetes label keys and values");
    }
    requirements.push_back(std::move(*requirement));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return LabelSelector(std::move(requirements));
}

bool LabelSelector::Matches(const nlohmann::json& object) const {
  const nlohmann::json::json_pointer labels_pointer("/metadata/labels");
  if (!object.is_object() || !object.contains(labels_pointer)) return false;
  const nlohmann::json& labels = object.at(labels_pointer);
  if (!labels.is_object()) return false;
  for (const LabelRequirement& requirement : requirements_) {
    const auto label = labels.find(requirement.key);
    if (label == labels.end()) return false;
    if (requirement.value && *label != *requirement.value) return false;
  }
  return true;
}

std::string LabelSelector::ToString() const {
  std::string text;
  for (const LabelRequirement& requirement : requirements_) {
    if (!text.empty()) text += ',';
    text += requirement.key;
    if (requirement.value) text += "=" + *requirement.value;
  }
  return text;
}

}  // namespace ks::kube
