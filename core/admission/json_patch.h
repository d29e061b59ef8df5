// A JSON Patch (RFC 6902) written as text while its operations are added, for handlers that know
// what they add: no tree of the operations is built, copied or dumped (docs/decisions/
// 2026-12-02-injector-speed.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace ks::admission {

// `key` as one reference token of a JSON Pointer (RFC 6901): '~' written "~0", '/' written "~1".
std::string PointerToken(std::string_view key);

class JsonPatchWriter {
 public:
  // Appends {"op":"add","path":path,"value":value}. `path` is a JSON Pointer whose tokens are
  // escaped (PointerToken); `value_json` is JSON text, as a handler's constant parts are kept.
  // Throws nlohmann's type_error for invalid UTF-8, as dump() does (ServeAdmission denies then).
  void AddJson(std::string_view path, std::string_view value_json);
  void Add(std::string_view path, const nlohmann::json& value);

  // The patch: a JSON array of the operations, in the order they were added.
  std::string Take() &&;

 private:
  std::string text_;  // the operations, comma-separated, without the brackets
};

}  // namespace ks::admission
