// Typed read-only views of the objects kernel-secrets works with: Secret and SecretShare custom
// resources and project namespaces. Built from the JSON the API server returns; missing fields
// take empty values, so a view never throws on a partial object.
#pragma once

#include <compare>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/kube/resource.h"

namespace ks::api {

using nlohmann::json;

struct ObjectKey {
  std::string ns;
  std::string name;

  auto operator<=>(const ObjectKey&) const = default;
  std::string ToString() const { return ns + "/" + name; }
};

ObjectKey KeyOf(const json& object);

namespace resources {
inline const kube::Resource kSecrets{"kernelsecrets.dev", "v1alpha1", "secrets", true};
inline const kube::Resource kSecretShares{"kernelsecrets.dev", "v1alpha1", "secretshares", true};
}  // namespace resources

// A Secret custom resource.
struct SecretView {
  ObjectKey key;
  std::string uid;
  std::int64_t generation = 0;
  std::string created_at;      // metadata.creationTimestamp (RFC 3339 sorts as text)
  std::string spec_name;       // the environment variable name
  // spec.encrypted as JSON text, empty when absent. Text because the operator's cache keeps it so
  // (op::TrimSecret) and a view is made of every secret of a project at each reconcile and
  // admission, most of which only ask whether there is content; EncryptedJson parses it where a
  // value is opened.
  std::string encrypted;
  bool has_plaintext = false;  // spec.value reached storage: a bypassed webhook
  std::optional<ObjectKey> copy_from;
  bool deleting = false;
};
// Reads spec.encrypted from a tree (as served) or from its JSON text (as the operator caches it).
SecretView ViewSecret(const json& object);
// What SecretView::encrypted holds for a spec.encrypted of `encrypted`: empty for null.
std::string EncryptedText(const json& encrypted);
// secret.encrypted parsed back: null when the secret has none or its text is not JSON.
json EncryptedJson(const SecretView& secret);
// ViewSecret(object).spec_name == spec_name, without making the view.
bool HasSpecName(const json& object, std::string_view spec_name);

// A SecretShare custom resource: the secret `secret_name` of this namespace shared into `community`.
struct ShareView {
  ObjectKey key;
  std::string created_at;
  std::string secret_name;
  std::string community;
  // status.secretUID: the uid of the secret this share was made for, recorded by the operator at
  // the share's first reconcile; empty before. In the status, which project editors cannot write.
  std::string bound_secret_uid;
  bool deleting = false;

  ObjectKey SharedSecret() const { return {key.ns, secret_name}; }
};
ShareView ViewShare(const json& object);

// A namespace that is a project, and the community it belongs to, if any.
struct ProjectView {
  std::string ns;
  std::optional<std::string> community;
};
// nullopt when the namespace is not labelled as a project or is being deleted.
std::optional<ProjectView> ViewProject(const json& namespace_object);

}  // namespace ks::api
