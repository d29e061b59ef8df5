// The AdmissionReview v1 protocol around an admission handler. A handler is a pure function from
// AdmissionRequest to AdmissionDecision; ServeAdmission owns the wire: content type, parsing and
// validating the review, echoing the uid, sending a handler's JSON Patch (its own, or the difference
// to the object it returns) base64-encoded, and turning a handler's exception into a denial that
// still carries the uid.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/common/bounded_json.h"
#include "core/https/message.h"

namespace ks::admission {

struct GroupVersionKind {
  std::string group;  // "" for the core API
  std::string version;
  std::string kind;
};

struct GroupVersionResource {
  std::string group;
  std::string version;
  std::string resource;
};

struct UserInfo {
  std::string username;
  std::string uid;
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::string>> extra;
};

struct AdmissionRequest {
  std::string uid;
  GroupVersionKind kind;
  GroupVersionResource resource;
  std::string sub_resource;
  std::string name;       // "" on CREATE with generateName
  std::string ns;         // "" for cluster-scoped objects
  std::string operation;  // CREATE, UPDATE, DELETE or CONNECT
  UserInfo user_info;
  nlohmann::json object;      // an object; null when absent (DELETE)
  nlohmann::json old_object;  // an object; null when absent (CREATE)
  bool dry_run = false;
};

struct AdmissionDecision {
  bool allowed = true;
  int code = 200;
  std::string message;  // shown to the user on denial: never a secret's value
  std::vector<std::string> warnings;
  // The object as it should be stored; ServeAdmission sends the difference as a JSON Patch.
  std::optional<nlohmann::json> mutated_object;
  // Or the JSON Patch (RFC 6902) itself as JSON text, an array of operations against the request's
  // object (JsonPatchWriter): for a handler that knows what it adds, which spares a copy of the
  // object, a diff of two whole documents and a tree of the operations per review. At most one of
  // the two is set.
  std::optional<std::string> patch;

  static AdmissionDecision Allow();
  static AdmissionDecision AllowWithObject(nlohmann::json object);
  static AdmissionDecision AllowWithPatch(std::string patch_json);
  static AdmissionDecision Deny(int code, std::string message);
  AdmissionDecision WithWarning(std::string warning) &&;
};

using AdmissionHandler = std::function<AdmissionDecision(const AdmissionRequest&)>;

// Answers 415 when the body is not declared JSON; 400 when it is not JSON within the limits of
// ParseBoundedJson (nesting depth, duplicate keys, numbers), or not an AdmissionReview v1 with a
// request and a uid, with a field of the wrong type, an object or oldObject that is not an object,
// or a uid, kind, resource, name, namespace or operation longer than a Kubernetes name or with
// control characters; and 200 with the AdmissionReview response otherwise. Fields it does not know
// are ignored, as newer API servers may send more. Error messages name the offending field or byte
// offset, never the content. `review` is what the parse keeps of the review (ReviewKeeping).
https::HttpResponse ServeAdmission(const https::HttpRequest& request, const AdmissionHandler& handler,
                                   const JsonProjection& review = JsonProjection::Whole());

// What ServeAdmission needs of a review whose handler reads only `object_fields` of the request's
// object and oldObject: the request's fields that AdmissionRequest holds, and those. Made once per
// route: a handler that reads a few fields of a large object is spared building the rest.
JsonProjection ReviewKeeping(const JsonProjection& object_fields);

}  // namespace ks::admission
