#include "core/api/resources.h"

#include "core/api/constants.h"
#include "core/common/json_fields.h"

namespace ks::api {
namespace {

std::string Label(const json& object, std::string_view key) {
  return StringAt(object, json::json_pointer("/metadata/labels") / std::string(key));
}

}  // namespace

ObjectKey KeyOf(const json& object) {
  return {StringAt(object, "/metadata/namespace"_json_pointer), StringAt(object, "/metadata/name"_json_pointer)};
}

SecretView ViewSecret(const json& object) {
  SecretView view;
  view.key = KeyOf(object);
  view.uid = StringAt(object, "/metadata/uid"_json_pointer);
  view.generation = object.value("/metadata/generation"_json_pointer, std::int64_t{0});
  view.created_at = StringAt(object, "/metadata/creationTimestamp"_json_pointer);
  view.deleting = object.contains("/metadata/deletionTimestamp"_json_pointer);
  view.spec_name = StringAt(object, "/spec/name"_json_pointer);
  view.has_plaintext = object.contains("/spec/value"_json_pointer);
  if (object.contains("/spec/encrypted"_json_pointer)) view.encrypted = object.at("/spec/encrypted"_json_pointer);
  if (object.contains("/spec/copyFrom"_json_pointer)) {
    view.copy_from = ObjectKey{StringAt(object, "/spec/copyFrom/namespace"_json_pointer),
                               StringAt(object, "/spec/copyFrom/name"_json_pointer)};
  }
  return view;
}

ShareView ViewShare(const json& object) {
  ShareView view;
  view.key = KeyOf(object);
  view.created_at = StringAt(object, "/metadata/creationTimestamp"_json_pointer);
  view.deleting = object.contains("/metadata/deletionTimestamp"_json_pointer);
  view.secret_name = StringAt(object, "/spec/secretName"_json_pointer);
  view.community = StringAt(object, "/spec/community"_json_pointer);
  view.bound_secret_uid = StringAt(object, "/status/secretUID"_json_pointer);
  return view;
}

std::optional<ProjectView> ViewProject(const json& namespace_object) {
  if (Label(namespace_object, kProjectLabel) != "true") return std::nullopt;
  if (namespace_object.contains("/metadata/deletionTimestamp"_json_pointer)) return std::nullopt;
  ProjectView view{StringAt(namespace_object, "/metadata/name"_json_pointer), std::nullopt};
  if (std::string community = Label(namespace_object, kCommunityLabel); !community.empty()) {
    view.community = std::move(community);
  }
  return view;
}

}  // namespace ks::api
