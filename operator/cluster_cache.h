// The operator's view of the cluster: informers on namespaces, Secret and SecretShare custom
// resources, the native Secrets it manages, and (when a selector is given) the metadata of
// notebook-server pods. Serves the reconciler and the webhooks
// (ClusterView), never calling the API on a read. Thread-safe once started.
#pragma once

#include <memory>
#include <optional>

#include "core/kube/informer.h"
#include "core/kube/label_selector.h"
#include "operator/cluster_view.h"

namespace ks::op {

// What to do when each kind of object changes (the controller enqueues work).
struct ClusterCacheHandlers {
  kube::InformerHandlers namespaces;
  kube::InformerHandlers secrets;
  kube::InformerHandlers shares;
  kube::InformerHandlers native_secrets;
  kube::InformerHandlers notebook_servers;
};

class ClusterCache : public ClusterObjects {
 public:
  // `notebook_servers`: the labels of notebook-server pods; nullopt watches no pods. The informers
  // count their lists and failed watches in `metrics`, which must outlive the cache.
  ClusterCache(kube::Client& client, ClusterCacheHandlers handlers, metrics::Registry& metrics,
               const std::optional<kube::LabelSelector>& notebook_servers = std::nullopt);

  void Start();
  void Stop();
  bool WaitForSync(std::chrono::milliseconds timeout) const;

  std::vector<api::ProjectView> Projects() const;
  std::vector<api::SecretView> AllSecrets() const;
  std::vector<api::ShareView> AllShares() const;
  // Every Secret CR as cached (status included, which the views leave out).
  std::vector<Object> AllSecretObjects() const;

  Object NativeSecret(const std::string& ns) const override;
  Object SecretObject(const api::ObjectKey& key) const override;
  Object ShareObject(const api::ObjectKey& key) const override;
  std::vector<Object> NotebookServersIn(const std::string& ns) const override;

  std::optional<api::ProjectView> Project(const std::string& ns) const override;
  std::vector<api::SecretView> SecretsIn(const std::string& ns) const override;
  std::optional<api::SecretView> FindSecret(const api::ObjectKey& key) const override;
  std::vector<api::ShareView> SharesInto(const std::string& community) const override;
  std::vector<api::ShareView> SharesOf(const api::ObjectKey& secret) const override;
  std::vector<api::ProjectView> ProjectsIn(const std::string& community) const override;

 private:
  kube::Informer namespaces_;
  kube::Informer secrets_;
  kube::Informer shares_;
  kube::Informer native_secrets_;
  std::unique_ptr<kube::Informer> notebook_servers_;  // null without a selector
  std::vector<kube::Informer*> informers_;            // every one of the above
};

}  // namespace ks::op
