#include "operator/work_keys.h"

#include <array>
#include <set>
#include <string_view>
#include <tuple>

#include "core/api/constants.h"
#include "core/kube/object.h"

namespace ks::op {
namespace {

using nlohmann::json;

constexpr std::array<WorkKind, 6> kKinds = {WorkKind::kProject, WorkKind::kNamespace, WorkKind::kSecret,
                                            WorkKind::kShare,   WorkKind::kCommunity, WorkKind::kSecretName};

std::string Prefix(WorkKind kind) { return std::string(KindName(kind)) + ":"; }

// The keys of the object(s) in a change, deduplicated (an update usually names one object twice).
std::vector<const json*> Present(const json* old_object, const json* new_object) {
  std::vector<const json*> out;
  for (const json* o : {old_object, new_object}) {
    if (o) out.push_back(o);
  }
  return out;
}

// True when `a` and `b` differ at most in their status and in what the API server bumps with it.
bool OnlyStatusChanged(const json& a, const json& b) {
  const auto without_status = [](json object) {
    object.erase("status");
    if (json* metadata = object.contains("metadata") ? &object["metadata"] : nullptr; metadata && metadata->is_object()) {
      metadata->erase("resourceVersion");
      metadata->erase("managedFields");
    }
    return object;
  };
  return without_status(a) == without_status(b);
}

// What decides which secrets a secret hides or is hidden by (op::ResolveVisibility, op::Usable and
// op::ShareIsBoundTo read no more of it).
auto Competition(const api::SecretView& secret) {
  return std::tuple(secret.spec_name, secret.deleting, secret.encrypted.empty(), secret.uid, secret.created_at);
}

std::vector<WorkKey> Unique(std::vector<WorkKey> keys) {
  std::set<std::string> seen;
  std::vector<WorkKey> out;
  for (WorkKey& key : keys) {
    if (seen.insert(key.Encode()).second) out.push_back(std::move(key));
  }
  return out;
}

}  // namespace

std::string_view KindName(WorkKind kind) {
  switch (kind) {
    case WorkKind::kProject:
      return "project";
    case WorkKind::kNamespace:
      return "namespace";
    case WorkKind::kSecret:
      return "secret";
    case WorkKind::kShare:
      return "share";
    case WorkKind::kCommunity:
      return "community";
    case WorkKind::kSecretName:
      return "name";
  }
  return "";
}

std::string WorkKey::Encode() const {
  const std::string prefix = Prefix(kind);
  switch (kind) {
    case WorkKind::kProject:
    case WorkKind::kNamespace:
      return prefix + ns;
    case WorkKind::kCommunity:
      return prefix + name;
    case WorkKind::kSecret:
    case WorkKind::kShare:
    case WorkKind::kSecretName:
      return prefix + ns + "/" + name;
  }
  return prefix;
}

std::optional<WorkKey> DecodeWorkKey(const std::string& key) {
  for (WorkKind kind : kKinds) {
    const std::string prefix = Prefix(kind);
    if (!key.starts_with(prefix)) continue;
    const std::string rest = key.substr(prefix.size());
    switch (kind) {
      case WorkKind::kProject:
      case WorkKind::kNamespace:
        return WorkKey{kind, rest, ""};
      case WorkKind::kCommunity:
        return WorkKey{kind, "", rest};
      case WorkKind::kSecret:
      case WorkKind::kShare:
      case WorkKind::kSecretName: {
        const std::size_t slash = rest.find('/');
        if (slash == std::string::npos) return std::nullopt;
        return WorkKey{kind, rest.substr(0, slash), rest.substr(slash + 1)};
      }
    }
  }
  return std::nullopt;
}

WorkKey ProjectKey(const std::string& ns) { return {WorkKind::kProject, ns, ""}; }
WorkKey SecretKey(const api::ObjectKey& key) { return {WorkKind::kSecret, key.ns, key.name}; }
WorkKey ShareKey(const api::ObjectKey& key) { return {WorkKind::kShare, key.ns, key.name}; }

std::vector<WorkKey> KeysForNamespaceChange(const json* old_object, const json* new_object) {
  std::vector<WorkKey> keys;
  for (const json* o : Present(old_object, new_object)) {
    const std::string ns = o->value("/metadata/name"_json_pointer, std::string());
    keys.push_back({WorkKind::kNamespace, ns, ""});
    // Joining or leaving a community changes what the community's shared secrets reach.
    if (std::optional<api::ProjectView> project = api::ViewProject(*o); project && project->community) {
      keys.push_back({WorkKind::kCommunity, "", *project->community});
    }
  }
  return Unique(std::move(keys));
}

std::vector<WorkKey> KeysForSecretChange(const json* old_object, const json* new_object) {
  if (old_object && new_object && OnlyStatusChanged(*old_object, *new_object)) return {};
  const bool competition_changed =
      !old_object || !new_object || Competition(api::ViewSecret(*old_object)) != Competition(api::ViewSecret(*new_object));
  std::vector<WorkKey> keys;
  for (const json* o : Present(old_object, new_object)) {
    const api::SecretView secret = api::ViewSecret(*o);
    // Its own project's native Secret at once, rather than after the secret's status write.
    keys.push_back(ProjectKey(secret.key.ns));
    if (competition_changed && !secret.spec_name.empty()) {
      keys.push_back({WorkKind::kSecretName, secret.key.ns, secret.spec_name});
    } else if (o == new_object || !new_object) {
      keys.push_back(SecretKey(secret.key));
    }
  }
  return Unique(std::move(keys));
}

std::vector<WorkKey> KeysForShareChange(const json* old_object, const json* new_object) {
  std::vector<WorkKey> keys;
  for (const json* o : Present(old_object, new_object)) {
    const api::ShareView share = api::ViewShare(*o);
    keys.push_back(ShareKey(share.key));
    keys.push_back(SecretKey(share.SharedSecret()));
    if (!share.community.empty()) keys.push_back({WorkKind::kCommunity, "", share.community});
  }
  return Unique(std::move(keys));
}

std::vector<WorkKey> KeysForNativeSecretChange(const json* old_object, const json* new_object) {
  std::vector<WorkKey> keys;
  for (const json* o : Present(old_object, new_object)) keys.push_back(ProjectKey(api::KeyOf(*o).ns));
  return Unique(std::move(keys));
}

std::vector<WorkKey> KeysForNotebookServerChange(const json* old_object, const json* new_object) {
  if (!new_object || kube::Annotation(*new_object, api::kDeliveryAnnotation) != api::kDeliveryVolume) return {};
  if (old_object && kube::Annotation(*old_object, api::kRevisionAnnotation) ==
                        kube::Annotation(*new_object, api::kRevisionAnnotation)) {
    return {};
  }
  return {ProjectKey(api::KeyOf(*new_object).ns)};
}

}  // namespace ks::op
