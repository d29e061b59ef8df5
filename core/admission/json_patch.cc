#include "core/admission/json_patch.h"

namespace ks::admission {

std::string PointerToken(std::string_view key) {
  std::string token;
  token.reserve(key.size());
  for (const char c : key) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

void JsonPatchWriter::AddJson(std::string_view path, std::string_view value_json) {
  text_ += text_.empty() ? R"({"op":"add","path":)" : R"(,{"op":"add","path":)";
  // Escaped as any JSON string: a token may hold a quote or a backslash (an annotation key).
  text_ += nlohmann::json(path).dump();
  text_ += R"(,"value":)";
  text_ += value_json;
  text_ += '}';
}

void JsonPatchWriter::Add(std::string_view path, const nlohmann::json& value) {
  AddJson(path, value.dump());
}

std::string JsonPatchWriter::Take() && { return "[" + std::move(text_) + "]"; }

}  // namespace ks::admission
