// The operator's read-only views of the cluster. ClusterView (projects, secrets and shares as typed
// views) is what visibility and the webhooks compute from; ClusterObjects adds the stored objects
// themselves, which the reconciler reads before it writes them back. The operator implements both
// over its informer caches (ClusterCache), tests over plain containers.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/api/resources.h"

namespace ks::op {

class ClusterView {
 public:
  virtual ~ClusterView() = default;
  virtual std::optional<api::ProjectView> Project(const std::string& ns) const = 0;
  virtual std::vector<api::SecretView> SecretsIn(const std::string& ns) const = 0;
  // The secrets of `ns` whose spec.name is `spec_name`: one, or more after creates that raced.
  // What SecretsIn filtered would give; a store may find them without viewing every secret.
  virtual std::vector<api::SecretView> SecretsNamed(const std::string& ns, const std::string& spec_name) const {
    std::vector<api::SecretView> named;
    for (api::SecretView& secret : SecretsIn(ns)) {
      if (secret.spec_name == spec_name) named.push_back(std::move(secret));
    }
    return named;
  }
  virtual std::optional<api::SecretView> FindSecret(const api::ObjectKey& key) const = 0;
  virtual std::vector<api::ShareView> SharesInto(const std::string& community) const = 0;
  virtual std::vector<api::ShareView> SharesOf(const api::ObjectKey& secret) const = 0;
  virtual std::vector<api::ProjectView> ProjectsIn(const std::string& community) const = 0;
};

class ClusterObjects : public ClusterView {
 public:
  using Object = std::shared_ptr<const nlohmann::json>;

  // The `kernel-secrets` native Secret of `ns`, or null.
  virtual Object NativeSecret(const std::string& ns) const = 0;
  // The Secret custom resource, or null.
  virtual Object SecretObject(const api::ObjectKey& key) const = 0;
  virtual Object ShareObject(const api::ObjectKey& key) const = 0;
  // The metadata of the notebook-server pods of `ns` that the injector gave the values volume.
  virtual std::vector<Object> NotebookServersIn(const std::string& ns) const = 0;
};

}  // namespace ks::op
