#include "core/common/json_fields.h"

namespace ks {

const nlohmann::json* FindAt(const nlohmann::json& document, const nlohmann::json::json_pointer& pointer) {
  // contains() answers false for any path that does not resolve (missing keys, a string where an
  // object was expected, a bad array index), so at() below cannot throw.
  return document.contains(pointer) ? &document.at(pointer) : nullptr;
}

std::string StringAt(const nlohmann::json& document, const nlohmann::json::json_pointer& pointer) {
  const nlohmann::json* value = FindAt(document, pointer);
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

std::string StringAt(const nlohmann::json& document, const nlohmann::json::json_pointer& pointer,
                     std::string_view key) {
  const nlohmann::json* parent = FindAt(document, pointer);
  if (parent == nullptr || !parent->is_object()) return {};
  const auto member = parent->find(key);
  return member != parent->end() && member->is_string() ? member->get<std::string>() : std::string();
}

}  // namespace ks
