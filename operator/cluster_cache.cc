#include "operator/cluster_cache.h"

#include "core/api/constants.h"
#include "core/kube/object.h"
#include "operator/cache_transforms.h"

namespace ks::op {
namespace {

kube::InformerOptions Trimmed(void (*transform)(nlohmann::json&), metrics::Registry& metrics) {
  kube::InformerOptions options;
  options.transform = transform;
  options.metrics = &metrics;
  return options;
}

kube::InformerOptions ManagedNativeSecrets(metrics::Registry& metrics) {
  kube::InformerOptions options = Trimmed(TrimNativeSecret, metrics);
  options.label_selector = std::string(api::kManagedByLabel) + "=" + std::string(api::kManagedByValue);
  return options;
}

std::unique_ptr<kube::Informer> NotebookServerPods(kube::Client& client,
                                                   const std::optional<kube::LabelSelector>& selector,
                                                   kube::InformerHandlers handlers, metrics::Registry& metrics) {
  if (!selector) return nullptr;
  kube::InformerOptions options = Trimmed(TrimWriteRecords, metrics);
  options.label_selector = selector->ToString();
  // Labels and annotations are all the operator reads of a pod: no spec, no status in memory.
  options.metadata_only = true;
  return std::make_unique<kube::Informer>(client, kube::resources::kPods, options, std::move(handlers));
}

template <typename View, typename Fn>
std::vector<View> ViewAll(const std::vector<kube::ObjectPtr>& objects, Fn view) {
  std::vector<View> out;
  out.reserve(objects.size());
  for (const auto& object : objects) out.push_back(view(*object));
  return out;
}

}  // namespace

ClusterCache::ClusterCache(kube::Client& client, ClusterCacheHandlers handlers, metrics::Registry& metrics,
                           const std::optional<kube::LabelSelector>& notebook_servers)
    : namespaces_(client, kube::resources::kNamespaces, Trimmed(TrimNamespace, metrics),
                  std::move(handlers.namespaces)),
      secrets_(client, api::resources::kSecrets, Trimmed(TrimSecret, metrics), std::move(handlers.secrets)),
      shares_(client, api::resources::kSecretShares, Trimmed(TrimWriteRecords, metrics), std::move(handlers.shares)),
      native_secrets_(client, kube::resources::kSecrets, ManagedNativeSecrets(metrics),
                      std::move(handlers.native_secrets)),
      notebook_servers_(
          NotebookServerPods(client, notebook_servers, std::move(handlers.notebook_servers), metrics)),
      informers_{&namespaces_, &secrets_, &shares_, &native_secrets_} {
  if (notebook_servers_) informers_.push_back(notebook_servers_.get());
}

void ClusterCache::Start() {
  for (kube::Informer* informer : informers_) informer->Start();
}

void ClusterCache::Stop() {
  for (kube::Informer* informer : informers_) informer->Stop();
}

bool ClusterCache::WaitForSync(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const kube::Informer* informer : informers_) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (!informer->WaitForSync(std::max(left, std::chrono::milliseconds(0)))) return false;
  }
  return true;
}

ClusterCache::Object ClusterCache::NativeSecret(const std::string& ns) const {
  return native_secrets_.Get(ns, std::string(api::kNativeSecretName));
}

ClusterCache::Object ClusterCache::SecretObject(const api::ObjectKey& key) const {
  return secrets_.Get(key.ns, key.name);
}

ClusterCache::Object ClusterCache::ShareObject(const api::ObjectKey& key) const {
  return shares_.Get(key.ns, key.name);
}

std::vector<api::ProjectView> ClusterCache::Projects() const {
  std::vector<api::ProjectView> projects;
  for (const auto& ns : namespaces_.List()) {
    if (auto project = api::ViewProject(*ns)) projects.push_back(std::move(*project));
  }
  return projects;
}

std::vector<api::SecretView> ClusterCache::AllSecrets() const {
  return ViewAll<api::SecretView>(secrets_.List(), api::ViewSecret);
}

std::vector<ClusterCache::Object> ClusterCache::AllSecretObjects() const { return secrets_.List(); }

std::vector<api::ShareView> ClusterCache::AllShares() const {
  return ViewAll<api::ShareView>(shares_.List(), api::ViewShare);
}

std::vector<ClusterCache::Object> ClusterCache::NotebookServersIn(const std::string& ns) const {
  std::vector<kube::ObjectPtr> pods;
  if (!notebook_servers_) return pods;
  for (kube::ObjectPtr& pod : notebook_servers_->ListInNamespace(ns)) {
    if (kube::Annotation(*pod, api::kDeliveryAnnotation) == api::kDeliveryVolume) pods.push_back(std::move(pod));
  }
  return pods;
}

std::optional<api::ProjectView> ClusterCache::Project(const std::string& ns) const {
  auto object = namespaces_.Get("", ns);
  return object ? api::ViewProject(*object) : std::nullopt;
}

std::vector<api::SecretView> ClusterCache::SecretsIn(const std::string& ns) const {
  return ViewAll<api::SecretView>(secrets_.ListInNamespace(ns), api::ViewSecret);
}

std::optional<api::SecretView> ClusterCache::FindSecret(const api::ObjectKey& key) const {
  auto object = SecretObject(key);
  return object ? std::optional(api::ViewSecret(*object)) : std::nullopt;
}

std::vector<api::ShareView> ClusterCache::SharesInto(const std::string& community) const {
  std::vector<api::ShareView> out;
  for (api::ShareView& share : AllShares()) {
    if (share.community == community) out.push_back(std::move(share));
  }
  return out;
}

std::vector<api::ShareView> ClusterCache::SharesOf(const api::ObjectKey& secret) const {
  std::vector<api::ShareView> out;
  for (api::ShareView& share : ViewAll<api::ShareView>(shares_.ListInNamespace(secret.ns), api::ViewShare)) {
    if (share.secret_name == secret.name) out.push_back(std::move(share));
  }
  return out;
}

std::vector<api::ProjectView> ClusterCache::ProjectsIn(const std::string& community) const {
  std::vector<api::ProjectView> out;
  for (api::ProjectView& project : Projects()) {
    if (project.community == community) out.push_back(std::move(project));
  }
  return out;
}

}  // namespace ks::op
