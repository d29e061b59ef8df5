// The operator's work-queue keys, and which keys a change to a watched object calls for. Keys
// name state to look at, never what happened (level-based): "project:<ns>", "namespace:<ns>",
// "secret:<ns>/<name>", "share:<ns>/<name>", "community:<name>", and "name:<ns>/<spec.name>" (the
// secrets that a secret of that name in <ns> competes with, whose Shadowed status it may change:
// op::Rivals). Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api/resources.h"

namespace ks::op {

enum class WorkKind { kProject, kNamespace, kSecret, kShare, kCommunity, kSecretName };

struct WorkKey {
  WorkKind kind;
  std::string ns;    // project, namespace, secret, share, secret name
  std::string name;  // secret, share, community, secret name (spec.name)

  std::string Encode() const;
  api::ObjectKey Object() const { return {ns, name}; }
};

std::optional<WorkKey> DecodeWorkKey(const std::string& key);

// "project", "secret", ...: the kind as an encoded key spells it before its colon.
std::string_view KindName(WorkKind kind);

WorkKey ProjectKey(const std::string& ns);
WorkKey SecretKey(const api::ObjectKey& key);
WorkKey ShareKey(const api::ObjectKey& key);

// What to look at after a change; `old_object` or `new_object` is null on add or delete.
std::vector<WorkKey> KeysForNamespaceChange(const nlohmann::json* old_object, const nlohmann::json* new_object);
// A Secret custom resource: nothing when only its status moved (the operator's own status write,
// which no other secret's state depends on). Else its project, and the "name:" keys of its old and
// new spec.name when it came, went, or changed what it competes with for a name (those keys cover
// the secret itself), or the secret alone when it did not.
std::vector<WorkKey> KeysForSecretChange(const nlohmann::json* old_object, const nlohmann::json* new_object);
std::vector<WorkKey> KeysForShareChange(const nlohmann::json* old_object, const nlohmann::json* new_object);
std::vector<WorkKey> KeysForNativeSecretChange(const nlohmann::json* old_object, const nlohmann::json* new_object);
// A notebook-server pod (its metadata) that got the values volume: its project, when the pod is new
// or its revision annotation moved (the project then makes it current again); nothing on other
// changes, such as its status, which would otherwise decrypt the project's secrets on every one.
std::vector<WorkKey> KeysForNotebookServerChange(const nlohmann::json* old_object, const nlohmann::json* new_object);

}  // namespace ks::op
