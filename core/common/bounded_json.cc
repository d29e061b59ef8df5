#include "core/common/bounded_json.h"

#include <string>
#include <utility>
#include <vector>

namespace ks {
namespace {

using nlohmann::json;

// Builds the value from nlohmann's SAX events, as its own DOM parser does, and checks the limits
// on the way: the depth when a container opens, a duplicate key when the insertion the DOM needs
// anyway finds the key there already. Stops at the first violation. (nlohmann's callback parser
// would do the same checks, but it builds a json value of every key for the callback, and a key
// set per object would copy every key once more: on a pod's review that was a third of the
// parse.)
class BoundedDomBuilder {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  BoundedDomBuilder(json& root, int max_depth) : root_(root), max_depth_(max_depth) {}

  bool null() { return Value(nullptr); }
  bool boolean(bool value) { return Value(value); }
  bool number_integer(number_integer_t value) { return Value(value); }
  bool number_unsigned(number_unsigned_t value) { return Value(value); }
  bool number_float(number_float_t value, const string_t&) { return Value(value); }
  bool string(string_t& value) { return Value(std::move(value)); }
  bool binary(binary_t& value) { return Value(std::move(value)); }

  bool start_object(std::size_t) { return Open(json::value_t::object); }
  bool start_array(std::size_t) { return Open(json::value_t::array); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }

  bool key(string_t& key) {
    // try_emplace leaves `key` as it was when the object holds it already.
    auto [slot, inserted] = open_.back()->get_ref<json::object_t&>().try_emplace(std::move(key));
    if (!inserted) return Fail(InvalidArgument("JSON with a duplicate key in an object"));
    member_ = &slot->second;
    return true;
  }

  // Not the exception's text: it quotes the bytes around the error.
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) {
    if (dynamic_cast<const json::out_of_range*>(&error) != nullptr) {
      return Fail(InvalidArgument("JSON with a number beyond the range of a double"));
    }
    return Fail(InvalidArgument("not valid JSON (error at byte " + std::to_string(position) + ")"));
  }

  const Status& status() const { return status_; }

 private:
  // Where the next value goes: the root, the end of the open array, or the member of the last key.
  json& Slot() {
    if (open_.empty()) return root_;
    json& container = *open_.back();
    return container.is_array() ? container.get_ref<json::array_t&>().emplace_back() : *member_;
  }

  template <typename T>
  bool Value(T&& value) {
    Slot() = json(std::forward<T>(value));
    return true;
  }

  // A pointer into its parent array stays valid while the container is open: the parent gets its
  // next element only after this one closed.
  bool Open(json::value_t type) {
    if (static_cast<int>(open_.size()) >= max_depth_) {
      return Fail(InvalidArgument("JSON nested deeper than " + std::to_string(max_depth_) + " levels"));
    }
    json& slot = Slot();
    slot = json(type);
    open_.push_back(&slot);
    return true;
  }

  bool Close() {
    open_.pop_back();
    return true;
  }

  bool Fail(Status status) {
    status_ = std::move(status);
    return false;
  }

  json& root_;
  const int max_depth_;
  std::vector<json*> open_;  // the containers open around the next event, innermost last
  json* member_ = nullptr;   // the value slot of the last key
  Status status_ = Status::Ok();
};

}  // namespace

StatusOr<json> ParseBoundedJson(std::string_view text, int max_depth) {
  json value;
  BoundedDomBuilder builder(value, max_depth);
  if (!json::sax_parse(text, &builder)) return builder.status();
  return value;
}

}  // namespace ks
