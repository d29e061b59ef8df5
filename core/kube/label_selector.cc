#include "core/kube/label_selector.h"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "core/common/json_fields.h"

namespace ks::kube {

namespace {

using Operator = LabelRequirement::Operator;

constexpr char kForms[] =
    "each comma-separated requirement must be key=value (or key==value), key!=value, key in (v1,v2), "
    "key notin (v1,v2), key (the label exists, e.g. notebook-name) or !key (it does not), with the "
    "characters of Kubernetes label keys and values";

// The characters of Kubernetes label keys (prefix/name) and values; the full length and
// start/end rules are the API server's to enforce on the objects themselves.
bool IsLabelText(std::string_view text, bool allow_slash) {
  return std::all_of(text.begin(), text.end(), [allow_slash](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           (allow_slash && c == '/');
  });
}

bool IsKey(std::string_view text) { return !text.empty() && IsLabelText(text, /*allow_slash=*/true); }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// Splits at the commas outside parentheses; nullopt when parentheses do not pair up.
std::optional<std::vector<std::string_view>> SplitRequirements(std::string_view text) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(' && ++depth > 1) return std::nullopt;
    if (text[i] == ')' && --depth < 0) return std::nullopt;
    if (text[i] == ',' && depth == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (depth != 0) return std::nullopt;
  parts.push_back(text.substr(start));
  return parts;
}

LabelRequirement Make(std::string key, Operator op, std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return {std::move(key), op, std::move(values)};
}

// "key in (a, b)" or "key notin (a)"; nullopt for anything else.
std::optional<LabelRequirement> ParseSetRequirement(std::string_view text) {
  const std::size_t open = text.find('(');
  if (open == std::string_view::npos || text.back() != ')') return std::nullopt;
  const std::string_view head = Trim(text.substr(0, open));
  const std::size_t space = head.find_last_of(" \t");
  if (space == std::string_view::npos) return std::nullopt;
  const std::string_view key = Trim(head.substr(0, space));
  const std::string_view word = head.substr(space + 1);
  if (!IsKey(key) || (word != "in" && word != "notin")) return std::nullopt;
  std::vector<std::string> values;
  std::string_view list = text.substr(open + 1, text.size() - open - 2);
  if (Trim(list).empty()) return std::nullopt;
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view value = Trim(list.substr(0, comma));
    if (!IsLabelText(value, /*allow_slash=*/false)) return std::nullopt;
    values.emplace_back(value);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return Make(std::string(key), word == "in" ? Operator::kIn : Operator::kNotIn, std::move(values));
}

// One requirement of the text form; nullopt when it is none of them.
std::optional<LabelRequirement> ParseRequirement(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  if (text.find('(') != std::string_view::npos) return ParseSetRequirement(text);
  if (text.front() == '!' && text.find('=') == std::string_view::npos) {
    const std::string_view key = Trim(text.substr(1));
    if (!IsKey(key)) return std::nullopt;
    return Make(std::string(key), Operator::kDoesNotExist, {});
  }
  const std::size_t equals = text.find('=');
  if (equals == std::string_view::npos) {
    if (!IsKey(text)) return std::nullopt;
    return LabelRequirement::Exists(std::string(text));
  }
  const bool negated = equals > 0 && text[equals - 1] == '!';
  const std::string_view key = Trim(text.substr(0, negated ? equals - 1 : equals));
  std::string_view value = text.substr(equals + 1);
  if (!negated && value.starts_with('=')) value.remove_prefix(1);  // key==value
  value = Trim(value);
  if (!IsKey(key) || !IsLabelText(value, /*allow_slash=*/false)) return std::nullopt;
  return Make(std::string(key), negated ? Operator::kNotIn : Operator::kIn, {std::string(value)});
}

// One entry of matchExpressions, or why it is not one.
StatusOr<LabelRequirement> ParseExpression(const nlohmann::json& expression) {
  if (!expression.is_object()) return InvalidArgument("each matchExpressions entry must be an object");
  for (const auto& [field, value] : expression.items()) {
    if (field != "key" && field != "operator" && field != "values")
      return InvalidArgument("matchExpressions entries have key, operator and values, not " + field);
  }
  const std::string key = StringAt(expression, "/key"_json_pointer);
  if (!IsKey(key)) return InvalidArgument("a matchExpressions key must be a label key, not \"" + key + "\"");
  const std::string name = StringAt(expression, "/operator"_json_pointer);
  std::vector<std::string> values;
  if (const nlohmann::json* given = FindAt(expression, "/values"_json_pointer)) {
    if (!given->is_array()) return InvalidArgument("matchExpressions[" + key + "].values must be a list");
    for (const nlohmann::json& value : *given) {
      if (!value.is_string() || !IsLabelText(value.get_ref<const std::string&>(), false))
        return InvalidArgument("matchExpressions[" + key + "].values must be label values");
      values.push_back(value.get<std::string>());
    }
  }
  const bool takes_values = name == "In" || name == "NotIn";
  if (!takes_values && name != "Exists" && name != "DoesNotExist")
    return InvalidArgument("matchExpressions[" + key + "].operator must be In, NotIn, Exists or DoesNotExist, not \"" +
                           name + "\"");
  if (takes_values == values.empty())
    return InvalidArgument("matchExpressions[" + key + "]: " + name +
                           (takes_values ? " needs at least one value" : " takes no values"));
  const Operator op = name == "In"       ? Operator::kIn
                      : name == "NotIn"  ? Operator::kNotIn
                      : name == "Exists" ? Operator::kExists
                                         : Operator::kDoesNotExist;
  return Make(key, op, std::move(values));
}

std::string JoinValues(const std::vector<std::string>& values) {
  std::string text;
  for (const std::string& value : values) text += (text.empty() ? "" : ",") + value;
  return text;
}

}  // namespace

LabelRequirement LabelRequirement::Equals(std::string key, std::string value) {
  return {std::move(key), Operator::kIn, {std::move(value)}};
}

LabelRequirement LabelRequirement::Exists(std::string key) { return {std::move(key), Operator::kExists, {}}; }

LabelSelector::LabelSelector(std::vector<LabelRequirement> requirements) : requirements_(std::move(requirements)) {
  const auto order = [](const LabelRequirement& r) { return std::tie(r.key, r.op, r.values); };
  std::sort(requirements_.begin(), requirements_.end(),
            [&](const LabelRequirement& a, const LabelRequirement& b) { return order(a) < order(b); });
  requirements_.erase(std::unique(requirements_.begin(), requirements_.end()), requirements_.end());
}

StatusOr<LabelSelector> LabelSelector::Parse(std::string_view text) {
  std::optional<std::vector<std::string_view>> parts = SplitRequirements(text);
  if (!parts) return InvalidArgument("label selector \"" + std::string(text) + "\": parentheses do not pair up; " + kForms);
  std::vector<LabelRequirement> requirements;
  for (std::string_view part : *parts) {
    std::optional<LabelRequirement> requirement = ParseRequirement(part);
    if (!requirement) {
      return InvalidArgument("label selector \"" + std::string(text) + "\": \"" + std::string(part) +
                             "\" is not a requirement; " + kForms);
    }
    requirements.push_back(std::move(*requirement));
  }
  return LabelSelector(std::move(requirements));
}

StatusOr<LabelSelector> LabelSelector::FromJson(const nlohmann::json& selector) {
  if (!selector.is_object()) return InvalidArgument("a label selector must be an object");
  std::vector<LabelRequirement> requirements;
  for (const auto& [field, value] : selector.items()) {
    if (field == "matchLabels") {
      if (!value.is_object()) return InvalidArgument("matchLabels must map label keys to values");
      for (const auto& [key, label] : value.items()) {
        if (!IsKey(key) || !label.is_string() || !IsLabelText(label.get_ref<const std::string&>(), false))
          return InvalidArgument("matchLabels must map label keys to label values; \"" + key + "\" does not");
        requirements.push_back(LabelRequirement::Equals(key, label.get<std::string>()));
      }
    } else if (field == "matchExpressions") {
      if (!value.is_array()) return InvalidArgument("matchExpressions must be a list");
      for (const nlohmann::json& expression : value) {
        StatusOr<LabelRequirement> requirement = ParseExpression(expression);
        if (!requirement.ok()) return requirement.status();
        requirements.push_back(std::move(*requirement));
      }
    } else {
      return InvalidArgument("a label selector has matchLabels and matchExpressions, not " + field);
    }
  }
  if (requirements.empty())
    return InvalidArgument("an empty label selector selects every object; give matchLabels or matchExpressions");
  return LabelSelector(std::move(requirements));
}

bool LabelSelector::Matches(const nlohmann::json& object) const {
  if (!object.is_object()) return false;
  static const nlohmann::json kNoLabels = nlohmann::json::object();
  static const auto kLabels = "/metadata/labels"_json_pointer;  // parsed once: this runs per admission
  const nlohmann::json* labels = FindAt(object, kLabels);
  if (labels == nullptr) labels = &kNoLabels;
  if (!labels->is_object()) return false;
  return std::all_of(requirements_.begin(), requirements_.end(), [labels](const LabelRequirement& requirement) {
    const auto label = labels->find(requirement.key);
    const bool present = label != labels->end() && label->is_string();
    const bool listed = present && std::binary_search(requirement.values.begin(), requirement.values.end(),
                                                      label->get_ref<const std::string&>());
    switch (requirement.op) {
      case Operator::kIn: return listed;
      case Operator::kNotIn: return !listed;
      case Operator::kExists: return present;
      case Operator::kDoesNotExist: return !present;
    }
    return false;
  });
}

std::string LabelSelector::ToString() const {
  std::string text;
  for (const LabelRequirement& r : requirements_) {
    if (!text.empty()) text += ',';
    const bool one = r.values.size() == 1;
    switch (r.op) {
      case Operator::kIn: text += one ? r.key + "=" + r.values[0] : r.key + " in (" + JoinValues(r.values) + ")"; break;
      case Operator::kNotIn: text += one ? r.key + "!=" + r.values[0] : r.key + " notin (" + JoinValues(r.values) + ")"; break;
      case Operator::kExists: text += r.key; break;
      case Operator::kDoesNotExist: text += "!" + r.key; break;
    }
  }
  return text;
}

}  // namespace ks::kube
