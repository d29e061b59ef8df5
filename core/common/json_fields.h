// Reading optional fields of JSON that may be partial or of any shape (objects from the API server,
// admission requests): a field that is absent, or whose parents are not objects, reads as absent,
// and a string field of another type reads as empty. Never throws. The one reader of such fields.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace ks {

// The value at `pointer`, or null.
const nlohmann::json* FindAt(const nlohmann::json& document, const nlohmann::json::json_pointer& pointer);

// The string at `pointer`; empty when absent or not a string.
std::string StringAt(const nlohmann::json& document, const nlohmann::json::json_pointer& pointer);

// The string member `key` of the object at `pointer`, as StringAt(pointer / key) but without
// building that pointer: for a key that varies under a fixed, static pointer.
std::string StringAt(const nlohmann::json& document, const nlohmann::json::json_pointer& pointer,
                     std::string_view key);

}  // namespace ks
