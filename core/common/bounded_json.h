// JSON parsing for untrusted input. nlohmann::json parses iteratively, but copying, comparing,
// diffing and dumping a value recurse once per nesting level: a body of a few hundred kilobytes
// like `[[[[...` overflows the stack of whoever touches the parsed value. Bounding the depth at
// parse time makes every later walk safe. Duplicate keys are refused too: nlohmann keeps the last
// one, another reader may keep the first, and a webhook must judge what the API server stores.
#pragma once

#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/common/status.h"

namespace ks {

// Nesting levels of arrays and objects: `{}` and `[]` are 1, `{"a":[]}` is 2.
inline constexpr int kDefaultMaxJsonDepth = 64;

// Which parts of a JSON value a reader keeps, so that parsing builds only those: the members an
// object keeps, each whole or with a projection of its own. A projection applies to each element
// of an array alike, and to nothing else: a scalar, or a value of a type other than the reader
// expects, is kept as it is. A kernel pod's review is mostly environment variables and resources
// that the injector never reads, and building them was most of its cost per review.
class JsonProjection {
 public:
  // Keeps no member: an object parses as {}, an array as its elements so projected.
  JsonProjection() = default;
  // Keeps everything.
  static const JsonProjection& Whole();
  // Keeps the members at `paths` and what is on the way to them. A path is member names joined
  // by dots: "spec.containers.envFrom" keeps spec, its containers, and of each container (an
  // array's elements alike) only envFrom, whole. No name may be empty.
  static JsonProjection Only(std::initializer_list<std::string_view> paths);

  // Replaces what is kept at `path` (as in Only, and on the way to it) with `projection`.
  JsonProjection& Set(std::string_view path, const JsonProjection& projection);

  // The projection of an object's member `name`, or null when the member is dropped.
  const JsonProjection* Member(std::string_view name) const;

 private:
  JsonProjection& Path(std::string_view path);

  bool whole_ = false;
  std::map<std::string, JsonProjection, std::less<>> members_;
};

// The value of `text`, or InvalidArgument when it is not JSON (with the byte offset), nests deeper
// than `max_depth`, has an object with a duplicate key, or has a number beyond a double's range.
// Messages complete "the body is ..." ("not valid JSON (error at byte 7)", "JSON nested deeper
// than 64 levels") and never quote the text: it may hold a secret's value. The parts `projection`
// drops are checked for all but duplicate keys and UTF-8, which matter only where a reader reads.
StatusOr<nlohmann::json> ParseBoundedJson(std::string_view text, int max_depth = kDefaultMaxJsonDepth,
                                          const JsonProjection& projection = JsonProjection::Whole());

}  // namespace ks
