#include "core/common/bounded_json.h"

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace ks {
namespace {

using nlohmann::json;

// Watches nlohmann's parser events. `depth` is how many containers are open around the event:
// a container that starts at depth d is level d + 1, and a key at depth d belongs to the object
// at level d. The first violation is kept; the parse itself runs to its end, iteratively, and
// whatever it builds is thrown away.
class LimitCheck {
 public:
  explicit LimitCheck(int max_depth) : max_depth_(max_depth) {}

  bool operator()(int depth, json::parse_event_t event, json& parsed) {
    if (!status_.ok()) return false;
    switch (event) {
      case json::parse_event_t::object_start:
        // Levels deeper than this object's have closed; its own key set starts empty.
        keys_by_level_.resize(depth + 1);
        keys_by_level_[depth].clear();
        [[fallthrough]];
      case json::parse_event_t::array_start:
        if (depth + 1 > max_depth_) {
          status_ = InvalidArgument("JSON nested deeper than " + std::to_string(max_depth_) + " levels");
        }
        break;
      case json::parse_event_t::key:
        if (!keys_by_level_[depth - 1].insert(parsed.get<std::string>()).second) {
          status_ = InvalidArgument("JSON with a duplicate key in an object");
        }
        break;
      default:
        break;
    }
    return status_.ok();
  }

  const Status& status() const { return status_; }

 private:
  const int max_depth_;
  std::vector<std::set<std::string>> keys_by_level_;
  Status status_ = Status::Ok();
};

}  // namespace

StatusOr<json> ParseBoundedJson(std::string_view text, int max_depth) {
  LimitCheck check(max_depth);
  json value;
  try {
    value = json::parse(text, std::ref(check));
  } catch (const json::parse_error& e) {
    // A limit passed before the error (an unclosed `[[[...` fails only at its end) says more.
    if (!check.status().ok()) return check.status();
    // Not e.what(): it quotes the bytes around the error.
    return InvalidArgument("not valid JSON (error at byte " + std::to_string(e.byte) + ")");
  } catch (const json::out_of_range&) {
    return InvalidArgument("JSON with a number beyond the range of a double");
  }
  if (!check.status().ok()) return check.status();
  return value;
}

}  // namespace ks
