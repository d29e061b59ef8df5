#include "core/admission/review.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cassert>
#include <cctype>
#include <exception>
#include <typeinfo>

#include "core/common/bounded_json.h"
#include "core/common/encoding.h"
#include "core/common/status.h"

namespace ks::admission {
namespace {

using nlohmann::json;

constexpr const char* kApiVersion = "admission.k8s.io/v1";
constexpr const char* kKind = "AdmissionReview";
// The longest name Kubernetes allows (a DNS subdomain); uids, kinds and operations are far shorter.
constexpr size_t kMaxNameBytes = 253;

bool IsJsonMediaType(std::string_view content_type) {
  std::string media(content_type.substr(0, content_type.find(';')));
  std::transform(media.begin(), media.end(), media.begin(), [](unsigned char c) { return std::tolower(c); });
  media.erase(0, media.find_first_not_of(" \t"));
  media.erase(media.find_last_not_of(" \t") + 1);
  return media == "application/json";
}

// Reads the fields of one JSON object, naming them by their path in the review for error messages.
// Absent and null fields leave the target as it was; a field of the wrong type is an error.
class FieldReader {
 public:
  FieldReader(const json& object, std::string path) : object_(object), path_(std::move(path)) {}

  const json* Find(const char* key) const {
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  Status String(const char* key, std::string& out) const {
    const json* field = Find(key);
    if (field == nullptr) return Status::Ok();
    if (!field->is_string()) return WrongType(key, "a string");
    out = field->get<std::string>();
    return Status::Ok();
  }

  // A string that names something (a uid, a kind, a namespace): these reach log lines, so a
  // hostile one must not be able to flood a log or forge lines of its own.
  Status Name(const char* key, std::string& out) const {
    KS_RETURN_IF_ERROR(String(key, out));
    const bool printable = std::none_of(out.begin(), out.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
    if (out.size() > kMaxNameBytes || !printable) {
      return InvalidArgument(path_ + key + " must be at most " + std::to_string(kMaxNameBytes) +
                             " bytes without control characters");
    }
    return Status::Ok();
  }

  Status Bool(const char* key, bool& out) const {
    const json* field = Find(key);
    if (field == nullptr) return Status::Ok();
    if (!field->is_boolean()) return WrongType(key, "a boolean");
    out = field->get<bool>();
    return Status::Ok();
  }

  Status Strings(const json& array, const std::string& name, std::vector<std::string>& out) const {
    if (!array.is_array()) return InvalidArgument(path_ + name + " must be an array of strings");
    for (const auto& item : array) {
      if (!item.is_string()) return InvalidArgument(path_ + name + " must be an array of strings");
      out.push_back(item.get<std::string>());
    }
    return Status::Ok();
  }

  // A reader of the nested object `key` (an empty object when absent).
  StatusOr<FieldReader> Nested(const char* key) const {
    static const json kEmpty = json::object();
    const json* field = Find(key);
    if (field == nullptr) return FieldReader(kEmpty, path_ + key + ".");
    if (!field->is_object()) return WrongType(key, "an object");
    return FieldReader(*field, path_ + key + ".");
  }

  // That the field `key` is an object when present: handlers may walk it as an object.
  Status ObjectOrAbsent(const char* key) const {
    const json* field = Find(key);
    if (field != nullptr && !field->is_object()) return WrongType(key, "an object");
    return Status::Ok();
  }

  const json& object() const { return object_; }

 private:
  Status WrongType(const char* key, const char* expected) const {
    return InvalidArgument(path_ + key + " must be " + expected);
  }

  const json& object_;
  std::string path_;
};

Status ReadKind(const FieldReader& request, const char* key, GroupVersionKind& out) {
  auto kind = request.Nested(key);
  if (!kind.ok()) return kind.status();
  KS_RETURN_IF_ERROR(kind->Name("group", out.group));
  KS_RETURN_IF_ERROR(kind->Name("version", out.version));
  return kind->Name("kind", out.kind);
}

Status ReadResource(const FieldReader& request, GroupVersionResource& out) {
  auto resource = request.Nested("resource");
  if (!resource.ok()) return resource.status();
  KS_RETURN_IF_ERROR(resource->Name("group", out.group));
  KS_RETURN_IF_ERROR(resource->Name("version", out.version));
  return resource->Name("resource", out.resource);
}

Status ReadUserInfo(const FieldReader& request, UserInfo& out) {
  auto user = request.Nested("userInfo");
  if (!user.ok()) return user.status();
  KS_RETURN_IF_ERROR(user->String("username", out.username));
  KS_RETURN_IF_ERROR(user->String("uid", out.uid));
  if (const json* groups = user->Find("groups")) KS_RETURN_IF_ERROR(user->Strings(*groups, "groups", out.groups));
  auto extra = user->Nested("extra");
  if (!extra.ok()) return extra.status();
  for (const auto& [key, values] : extra->object().items()) {
    KS_RETURN_IF_ERROR(extra->Strings(values, key, out.extra[key]));
  }
  return Status::Ok();
}

// Moves the member `key` of `object` into `out`, unless it is absent or null: a review's objects are
// most of its bytes, and the parsed review is not needed once its request is read.
void TakeMember(json& object, const char* key, json& out) {
  auto member = object.find(key);
  if (member != object.end() && !member->is_null()) out = std::move(*member);
}

StatusOr<AdmissionRequest> ParseRequest(json& review) {
  if (!review.is_object()) return InvalidArgument("an AdmissionReview must be a JSON object");
  const FieldReader top(review, "");
  std::string api_version, kind;
  KS_RETURN_IF_ERROR(top.String("apiVersion", api_version));
  KS_RETURN_IF_ERROR(top.String("kind", kind));
  if (api_version != kApiVersion || kind != kKind) {
    return InvalidArgument(std::string("expected apiVersion ") + kApiVersion + " and kind " + kKind);
  }
  if (top.Find("request") == nullptr) return InvalidArgument("request is required");
  auto request = top.Nested("request");
  if (!request.ok()) return request.status();

  AdmissionRequest out;
  KS_RETURN_IF_ERROR(request->Name("uid", out.uid));
  if (out.uid.empty()) return InvalidArgument("request.uid is required");
  KS_RETURN_IF_ERROR(ReadKind(*request, "kind", out.kind));
  KS_RETURN_IF_ERROR(ReadResource(*request, out.resource));
  KS_RETURN_IF_ERROR(request->Name("subResource", out.sub_resource));
  KS_RETURN_IF_ERROR(request->Name("name", out.name));
  KS_RETURN_IF_ERROR(request->Name("namespace", out.ns));
  KS_RETURN_IF_ERROR(request->Name("operation", out.operation));
  KS_RETURN_IF_ERROR(ReadUserInfo(*request, out.user_info));
  KS_RETURN_IF_ERROR(request->Bool("dryRun", out.dry_run));
  KS_RETURN_IF_ERROR(request->ObjectOrAbsent("object"));
  KS_RETURN_IF_ERROR(request->ObjectOrAbsent("oldObject"));
  json& fields = review["request"];
  TakeMember(fields, "object", out.object);
  TakeMember(fields, "oldObject", out.old_object);
  return out;
}

// The JSON Patch of an allowing decision as text: the handler's own, or the difference to its
// object; empty when there is none.
std::string PatchFor(const AdmissionRequest& request, const AdmissionDecision& decision) {
  assert(!(decision.patch && decision.mutated_object) && "a decision has a patch or an object, not both");
  if (decision.patch) return *decision.patch == "[]" ? "" : *decision.patch;
  if (!decision.mutated_object) return "";
  const json diff = json::diff(request.object, *decision.mutated_object);
  return diff.empty() ? "" : diff.dump();  // throws on invalid UTF-8, which Decide turns into a denial
}

// A string as JSON text; bytes that are not UTF-8 become U+FFFD, since the API server needs an
// answer whatever a handler put in its message.
std::string JsonString(const std::string& text) {
  return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
}

// The review's response as JSON text, its keys in the order nlohmann writes an object's. Written
// by hand rather than dumped from a tree: the patch, most of the answer, is base64, which needs no
// escaping, and escaping it byte by byte was 7 % of a review's cost (bench/admission_bench).
std::string ResponseFor(const AdmissionRequest& request, const AdmissionDecision& decision) {
  std::string text = decision.allowed ? R"({"allowed":true)" : R"({"allowed":false)";
  if (decision.allowed) {
    const std::string patch = PatchFor(request, decision);
    if (!patch.empty()) text += R"(,"patch":")" + Base64Encode(patch) + R"(","patchType":"JSONPatch")";
  } else {
    text +=
        R"(,"status":{"code":)" + std::to_string(decision.code) + R"(,"message":)" + JsonString(decision.message) + "}";
  }
  text += R"(,"uid":)" + JsonString(request.uid);
  if (!decision.warnings.empty()) {
    const char* separator = R"(,"warnings":[)";
    for (const std::string& warning : decision.warnings) {
      text += separator + JsonString(warning);
      separator = ",";
    }
    text += "]";
  }
  return text + "}";
}

// Never lets an exception out: the API server must get an answer with the uid. The exception's
// text is not logged because it may quote the object (a parse error quotes the bytes it read).
std::string Decide(const AdmissionRequest& request, const AdmissionHandler& handler) {
  try {
    return ResponseFor(request, handler(request));
  } catch (const std::exception& e) {
    spdlog::error("admission handler threw {} for {} {} {}/{} (uid {})", typeid(e).name(), request.operation,
                  request.kind.kind, request.ns, request.name, request.uid);
  } catch (...) {
    spdlog::error("admission handler threw for {} {} {}/{} (uid {})", request.operation, request.kind.kind, request.ns,
                  request.name, request.uid);
  }
  return ResponseFor(request, AdmissionDecision::Deny(500, "internal error while admitting the object"));
}

}  // namespace

AdmissionDecision AdmissionDecision::Allow() { return {}; }

AdmissionDecision AdmissionDecision::AllowWithObject(nlohmann::json object) {
  AdmissionDecision decision;
  decision.mutated_object = std::move(object);
  return decision;
}

AdmissionDecision AdmissionDecision::AllowWithPatch(std::string patch_json) {
  AdmissionDecision decision;
  decision.patch = std::move(patch_json);
  return decision;
}

AdmissionDecision AdmissionDecision::Deny(int code, std::string message) {
  AdmissionDecision decision;
  decision.allowed = false;
  decision.code = code;
  decision.message = std::move(message);
  return decision;
}

AdmissionDecision AdmissionDecision::WithWarning(std::string warning) && {
  warnings.push_back(std::move(warning));
  return std::move(*this);
}

JsonProjection ReviewKeeping(const JsonProjection& object_fields) {
  // What ParseRequest reads.
  JsonProjection review = JsonProjection::Only({"apiVersion", "kind", "request.uid", "request.kind", "request.resource",
                                                "request.subResource", "request.name", "request.namespace",
                                                "request.operation", "request.userInfo", "request.dryRun"});
  review.Set("request.object", object_fields).Set("request.oldObject", object_fields);
  return review;
}

https::HttpResponse ServeAdmission(const https::HttpRequest& http_request, const AdmissionHandler& handler,
                                   const JsonProjection& review_fields) {
  if (!IsJsonMediaType(http_request.Header("content-type"))) {
    return https::HttpResponse::Text(415, "an AdmissionReview must be sent as application/json\n");
  }
  StatusOr<json> review = ParseBoundedJson(http_request.body, kDefaultMaxJsonDepth, review_fields);
  if (!review.ok()) return https::HttpResponse::Text(400, "the body is " + review.status().message() + "\n");
  auto request = ParseRequest(*review);
  if (!request.ok()) return https::HttpResponse::Text(400, request.status().message() + "\n");

  // The review around the response is constant text: no tree of it to build and copy the response into.
  static const std::string kAnswerStart =
      std::string(R"({"apiVersion":")") + kApiVersion + R"(","kind":")" + kKind + R"(","response":)";
  return https::HttpResponse::Json(200, kAnswerStart + Decide(*request, handler) + "}");
}

}  // namespace ks::admission
