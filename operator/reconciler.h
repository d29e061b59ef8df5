// Level-based reconciliation, two kinds of key:
//   - a project: its native Secret `kernel-secrets` is made to hold exactly the decrypted values of
//     the secrets visible to it (written only when it differs; removed when the namespace stops
//     being a project), and its notebook-server pods are annotated with that content's revision;
//   - a Secret custom resource: finalizer, defence against stored plaintext, key rotation,
//     deletion (the projects that saw it are updated before the finalizer goes), status;
//   - a SecretShare: finalizer, status, and the Shared / Unshared Events.
// Reads come from ClusterObjects (the operator's caches); writes go to an ObjectWriter (the API),
// Events to an EventSink. Each call is idempotent.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "core/crypto/keyring.h"
#include "core/kube/events.h"
#include "operator/cluster_view.h"
#include "operator/object_writer.h"

namespace ks::op {

// What a reconcile asks of the work queue: nothing (done), a retry with backoff (a failed status;
// never for invalid input, which retrying cannot fix), or another look after a delay.
struct ReconcileResult {
  ReconcileResult() = default;
  ReconcileResult(Status s) : status(std::move(s)) {}  // NOLINT: lets KS_RETURN_IF_ERROR return here

  static ReconcileResult Done() { return {}; }

  Status status;
  std::optional<std::chrono::milliseconds> requeue_after;
};

class Reconciler {
 public:
  using KeyringSource = std::function<std::shared_ptr<const crypto::Keyring>()>;
  using Clock = std::function<std::string()>;  // RFC 3339 "now"

  // Every argument but the two functions must outlive the reconciler.
  Reconciler(ObjectWriter& client, const ClusterObjects& cache, KeyringSource keyring, kube::EventSink& events,
             Clock now);

  ReconcileResult ReconcileProject(const std::string& ns);
  ReconcileResult ReconcileSecret(const api::ObjectKey& key);
  ReconcileResult ReconcileShare(const api::ObjectKey& key);

 private:
  ReconcileResult EncryptStoredPlaintext(const nlohmann::json& object);
  ReconcileResult FinalizeSecret(const nlohmann::json& object);
  ReconcileResult FinalizeShare(const nlohmann::json& object);
  // Brings every project that may see `secret` up to date; the first failure wins.
  Status ReconcileProjectsReachedBy(const api::ObjectKey& secret);
  Status ReconcileProjects(const std::vector<std::string>& projects);
  Status EnsureFinalizer(const kube::Resource& resource, const nlohmann::json& object);
  Status RemoveFinalizer(const kube::Resource& resource, const nlohmann::json& object);
  Status RewrapIfKeyRotated(const nlohmann::json& object, const crypto::Keyring& keyring);
  Status UpdateSecretStatus(const nlohmann::json& object, const crypto::Keyring& keyring);
  Status WriteNativeSecret(const std::string& ns, const nlohmann::json& desired);
  // Moves the revision annotation of the project's notebook-server pods to `revision`. The kubelet
  // rewrites a pod's volumes when the pod changes, so this brings the new values into the pod at
  // once instead of at the kubelet's next periodic sync (a minute by default).
  Status RefreshNotebookServers(const std::string& ns, const std::string& revision);

  ObjectWriter& client_;
  const ClusterObjects& cache_;
  KeyringSource keyring_;
  kube::EventSink& events_;
  Clock now_;
};

}  // namespace ks::op
