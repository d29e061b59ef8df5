// JSON parsing for untrusted input. nlohmann::json parses iteratively, but copying, comparing,
// diffing and dumping a value recurse once per nesting level: a body of a few hundred kilobytes
// like `[[[[...` overflows the stack of whoever touches the parsed value. Bounding the depth at
// parse time makes every later walk safe. Duplicate keys are refused too: nlohmann keeps the last
// one, another reader may keep the first, and a webhook must judge what the API server stores.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/common/status.h"

namespace ks {

// Nesting levels of arrays and objects: `{}` and `[]` are 1, `{"a":[]}` is 2.
inline constexpr int kDefaultMaxJsonDepth = 64;

// The value of `text`, or InvalidArgument when it is not JSON (with the byte offset), nests deeper
// than `max_depth`, has an object with a duplicate key, or has a number beyond a double's range.
// Messages complete "the body is ..." ("not valid JSON (error at byte 7)", "JSON nested deeper
// than 64 levels") and never quote the text: it may hold a secret's value.
StatusOr<nlohmann::json> ParseBoundedJson(std::string_view text, int max_depth = kDefaultMaxJsonDepth);

}  // namespace ks
