#include "core/common/bounded_json.h"

#include <openssl/crypto.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace ks {
namespace {

using nlohmann::json;

// Builds the value from RapidJSON's SAX events, as nlohmann's DOM parser would, and checks the
// limits on the way: the depth when a container opens, a duplicate key when the insertion the DOM
// needs anyway finds the key there already. Stops at the first violation, which stops the parse. A
// value the projection drops is read on, its containers counted for the depth, and nothing of it
// built. (RapidJSON's reader, not nlohmann's: on a pod's review nlohmann's lexer was three
// quarters of the parse, docs/benchmarks.md.)
class BoundedDomBuilder {
 public:
  BoundedDomBuilder(json& root, int max_depth, const JsonProjection& projection)
      : root_(root), max_depth_(max_depth), next_projection_(&projection) {}

  bool Null() { return Value(nullptr); }
  bool Bool(bool value) { return Value(value); }
  // Numbers come as their text (kParseNumbersAsStringsFlag), checked for syntax, and are read here
  // as nlohmann's lexer reads them, so that a value is the same whichever parser read it.
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    StatusOr<json> number = NumberFrom(std::string_view(text, length));
    if (!number.ok()) return Fail(number.status());
    return Value(*std::move(number));
  }
  // Never called: with kParseNumbersAsStringsFlag every number is a RawNumber.
  bool Int(int) { return false; }
  bool Int64(int64_t) { return false; }
  bool Uint(unsigned) { return false; }
  bool Uint64(uint64_t) { return false; }
  bool Double(double) { return false; }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    if (Dropped()) return true;
    const std::string_view value(text, length);
    if (!IsUtf8(value)) return Fail(NotUtf8());
    Slot() = json(value);
    return true;
  }

  bool StartObject() { return Open(json::value_t::object); }
  bool StartArray() { return Open(json::value_t::array); }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool EndArray(rapidjson::SizeType) { return Close(); }

  bool Key(const char* text, rapidjson::SizeType length, bool) {
    if (skipped_depth_ > 0) return true;
    const std::string_view key(text, length);
    next_projection_ = open_.back().projection->Member(key);
    if (next_projection_ == nullptr) return true;
    if (!IsUtf8(key)) return Fail(NotUtf8());
    auto [slot, inserted] = open_.back().value->get_ref<json::object_t&>().try_emplace(std::string(key));
    if (!inserted) return Fail(InvalidArgument("JSON with a duplicate key in an object"));
    member_ = &slot->second;
    return true;
  }

  // What stopped the parse: a limit this builder checked, or else the reader's own error. Never
  // the bytes around the error: they may hold a secret's value.
  Status Error(const rapidjson::ParseResult& result) const {
    if (!status_.ok()) return status_;
    // Its exponent check, which it makes even on numbers it hands over as text.
    if (result.Code() == rapidjson::kParseErrorNumberTooBig) {
      return InvalidArgument("JSON with a number beyond the range of a double");
    }
    return InvalidArgument("not valid JSON (error at byte " + std::to_string(result.Offset()) + ")");
  }

 private:
  // A container being built, and the projection of its members or elements.
  struct Building {
    json* value;
    const JsonProjection* projection;
  };

  // Whether the next value is dropped: inside a dropped container, or a member the projection
  // drops. An array's elements share its projection, so it is set again for each of them.
  bool Dropped() {
    if (skipped_depth_ > 0) return true;
    if (!open_.empty() && open_.back().value->is_array()) next_projection_ = open_.back().projection;
    return next_projection_ == nullptr;
  }

  // Where the next value goes: the root, the end of the open array, or the member of the last key.
  json& Slot() {
    if (open_.empty()) return root_;
    json& container = *open_.back().value;
    return container.is_array() ? container.get_ref<json::array_t&>().emplace_back() : *member_;
  }

  // An integer as a signed (negative) or unsigned 64-bit one when it fits, anything else as the
  // nearest double (strtod, as nlohmann), which must be finite; in a part that is dropped too,
  // since a parser that reads it would refuse it.
  static StatusOr<json> NumberFrom(std::string_view text) {
    if (text.find_first_of(".eE") == std::string_view::npos) {
      const char* end = text.data() + text.size();
      const auto whole = [end](std::from_chars_result read) { return read.ec == std::errc() && read.ptr == end; };
      if (text.front() == '-') {
        json::number_integer_t value = 0;
        if (whole(std::from_chars(text.data(), end, value))) return json(value);
      } else {
        json::number_unsigned_t value = 0;
        if (whole(std::from_chars(text.data(), end, value))) return json(value);
      }
    }
    const double value = std::strtod(std::string(text).c_str(), nullptr);
    if (!std::isfinite(value)) return InvalidArgument("JSON with a number beyond the range of a double");
    return json(value);
  }

  // The output IsUtf8 gives RapidJSON's check, which copies what it validated.
  struct NoOutput {
    void Put(char) {}
  };

  // RapidJSON's own check, on what is kept only: checking every string of a review was a fifth of
  // its parse, and what is dropped never reaches a reader. Most strings of a review are ASCII, which
  // is UTF-8 as it is; only the others are decoded.
  static bool IsUtf8(std::string_view text) {
    if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x80; })) return true;
    rapidjson::MemoryStream input(text.data(), text.size());
    NoOutput ignored;
    while (input.Tell() < text.size()) {
      if (!rapidjson::UTF8<>::Validate(input, ignored)) return false;
    }
    return true;
  }
  static Status NotUtf8() { return InvalidArgument("not valid JSON (a string that is not UTF-8)"); }

  template <typename T>
  bool Value(T&& value) {
    if (!Dropped()) Slot() = json(std::forward<T>(value));
    return true;
  }

  // A pointer into its parent array stays valid while the container is open: the parent gets its
  // next element only after this one closed.
  bool Open(json::value_t type) {
    if (static_cast<int>(open_.size()) + skipped_depth_ >= max_depth_) {
      return Fail(InvalidArgument("JSON nested deeper than " + std::to_string(max_depth_) + " levels"));
    }
    if (Dropped()) {
      ++skipped_depth_;
      return true;
    }
    json& slot = Slot();
    slot = json(type);
    open_.push_back({&slot, next_projection_});
    return true;
  }

  bool Close() {
    if (skipped_depth_ > 0) {
      --skipped_depth_;
    } else {
      open_.pop_back();
    }
    return true;
  }

  bool Fail(Status status) {
    status_ = std::move(status);
    return false;
  }

  json& root_;
  const int max_depth_;
  std::vector<Building> open_;             // the containers built around the next event, innermost last
  int skipped_depth_ = 0;                  // the dropped containers open inside the innermost built one
  json* member_ = nullptr;                 // the value slot of the last key
  const JsonProjection* next_projection_;  // of the next value; null: dropped
  Status status_ = Status::Ok();
};

// The thread's copy of a text, ending in a NUL, for RapidJSON to parse in place. Kept between
// parses, so that a review costs no allocation of its size: one that large makes glibc's malloc
// consolidate its free chunks, about a fifth of a pod review's cost (bench/admission_bench). A copy
// that outgrew kKeptBytes is given back when its parse ends. The text is overwritten then too, so
// that a kept buffer does not hold a Secret's value, which its review carries in plain text, until
// the next parse. One parse at a time per thread.
class InSituCopy {
 public:
  explicit InSituCopy(std::string_view text) { Buffer().assign(text); }
  ~InSituCopy() {
    std::string& buffer = Buffer();
    OPENSSL_cleanse(buffer.data(), buffer.size());
    buffer.clear();
    if (buffer.capacity() > kKeptBytes) std::string().swap(buffer);
  }
  InSituCopy(const InSituCopy&) = delete;
  InSituCopy& operator=(const InSituCopy&) = delete;

  char* data() { return Buffer().data(); }

 private:
  static constexpr size_t kKeptBytes = 64 * 1024;
  static std::string& Buffer() {
    thread_local std::string buffer;
    return buffer;
  }
};

}  // namespace

const JsonProjection& JsonProjection::Whole() {
  static const JsonProjection whole = [] {
    JsonProjection projection;
    projection.whole_ = true;
    return projection;
  }();
  return whole;
}

JsonProjection JsonProjection::Only(std::initializer_list<std::string_view> paths) {
  JsonProjection projection;
  for (std::string_view path : paths) projection.Set(path, Whole());
  return projection;
}

JsonProjection& JsonProjection::Set(std::string_view path, const JsonProjection& projection) {
  Path(path) = projection;
  return *this;
}

JsonProjection& JsonProjection::Path(std::string_view path) {
  const size_t dot = path.find('.');
  const std::string_view name = path.substr(0, dot);
  assert(!name.empty() && "a projection's path names no empty member");
  // A member on the way to a deeper one keeps only what is named below it.
  JsonProjection& member = members_[std::string(name)];
  return dot == std::string_view::npos ? member : member.Path(path.substr(dot + 1));
}

const JsonProjection* JsonProjection::Member(std::string_view name) const {
  if (whole_) return this;
  const auto member = members_.find(name);
  return member == members_.end() ? nullptr : &member->second;
}

StatusOr<json> ParseBoundedJson(std::string_view text, int max_depth, const JsonProjection& projection) {
  // RapidJSON takes a NUL for the end of its input, so one in the middle would hide what follows.
  // JSON has no place for one outside a string, and in a string it must be escaped.
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return InvalidArgument("not valid JSON (error at byte " + std::to_string(nul) + ")");
  }
  json value;
  BoundedDomBuilder builder(value, max_depth, projection);
  // Parsed in place, in a copy that ends in the NUL RapidJSON then stops at: it hands over strings
  // where they are instead of copying each, byte by byte, to a stack of its own (about a tenth of a
  // projected pod review's cost, bench/admission_bench).
  InSituCopy buffer(text);
  rapidjson::InsituStringStream input(buffer.data());
  rapidjson::Reader reader;
  // Numbers as text, read by the builder: RapidJSON 1.1.0's full-precision reading of doubles is
  // undefined for a zero with an exponent ("0e-113", found by the fuzzer), and its default one can
  // be an ulp off. UTF-8 is checked by the builder too.
  const rapidjson::ParseResult result =
      reader.Parse<rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag>(input, builder);
  if (result.IsError()) return builder.Error(result);
  return value;
}

}  // namespace ks
