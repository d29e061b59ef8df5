// The operator's read-only view of the cluster: projects, secrets and shares. Visibility and the
// webhooks compute from it; the operator implements it over its informer caches (ClusterCache),
// tests over plain vectors.
#pragma once

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
  virtual std::optional<api::SecretView> FindSecret(const api::ObjectKey& key) const = 0;
  virtual std::vector<api::ShareView> SharesInto(const std::string& community) const = 0;
  virtual std::vector<api::ShareView> SharesOf(const api::ObjectKey& secret) const = 0;
  virtual std::vector<api::ProjectView> ProjectsIn(const std::string& community) const = 0;
};

}  // namespace ks::op
