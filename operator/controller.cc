#include "operator/controller.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include "operator/visibility.h"

namespace ks::op {
namespace {

using KeysFor = std::vector<WorkKey> (*)(const nlohmann::json*, const nlohmann::json*);

kube::InformerHandlers Enqueue(Enqueuer& enqueuer, KeysFor keys_for) {
  auto add = [&enqueuer, keys_for](const nlohmann::json* old_object, const nlohmann::json* new_object) {
    for (const WorkKey& key : keys_for(old_object, new_object)) enqueuer.Add(key);
  };
  return {
      .on_add = [add](const kube::ObjectPtr& o) { add(nullptr, o.get()); },
      .on_update = [add](const kube::ObjectPtr& old_o, const kube::ObjectPtr& new_o) { add(old_o.get(), new_o.get()); },
      .on_delete = [add](const kube::ObjectPtr& o) { add(o.get(), nullptr); },
  };
}

}  // namespace

Enqueuer::Enqueuer(kube::WorkQueue& queue, KeyPacer::Duration project_window)
    : queue_(queue), projects_(project_window) {}

void Enqueuer::Add(const WorkKey& key) {
  const std::string encoded = key.Encode();
  const KeyPacer::Duration delay =
      key.kind == WorkKind::kProject ? projects_.DelayFor(encoded) : KeyPacer::Duration::zero();
  if (delay == KeyPacer::Duration::zero()) {
    queue_.Add(encoded);
  } else {
    queue_.AddAfter(encoded, delay);
  }
}

void Enqueuer::Began(const WorkKey& key) {
  if (key.kind == WorkKind::kProject) projects_.Began(key.Encode());
}

ClusterCacheHandlers EnqueueingHandlers(Enqueuer& enqueuer) {
  return {
      .namespaces = Enqueue(enqueuer, KeysForNamespaceChange),
      .secrets = Enqueue(enqueuer, KeysForSecretChange),
      .shares = Enqueue(enqueuer, KeysForShareChange),
      .native_secrets = Enqueue(enqueuer, KeysForNativeSecretChange),
      .notebook_servers = Enqueue(enqueuer, KeysForNotebookServerChange),
  };
}

Controller::Controller(Reconciler& reconciler, const ClusterCache& cache, kube::WorkQueue& queue, Enqueuer& enqueuer,
                       metrics::Registry& metrics)
    : reconciler_(reconciler),
      cache_(cache),
      queue_(queue),
      enqueuer_(enqueuer),
      metrics_(metrics),
      retries_(metrics.GetCounter("kernel_secrets_workqueue_retries_total",
                                  "Keys put back on the work queue with backoff after a failed reconcile.")) {
  metrics::Gauge& depth =
      metrics.GetGauge("kernel_secrets_workqueue_depth", "Keys on the work queue ready for a worker, not yet taken.");
  metrics::Gauge& oldest = metrics.GetGauge(
      "kernel_secrets_workqueue_oldest_item_age_seconds",
      "How long the key that has been ready longest has waited for a worker; 0 when none waits.");
  queue_gauges_ = metrics.OnScrape([this, &depth, &oldest] {
    depth.Set(static_cast<double>(queue_.Len()));
    oldest.Set(std::chrono::duration<double>(queue_.OldestReadyAge()).count());
  });
}

Controller::~Controller() { Stop(); }

void Controller::Start(int workers, std::chrono::seconds resync_period) {
  std::lock_guard lock(mutex_);
  if (stopping_ || !threads_.empty()) return;
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { Work(); });
  threads_.emplace_back([this, resync_period] { Resync(resync_period); });
}

void Controller::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    threads.swap(threads_);
  }
  stopping_cv_.notify_all();
  queue_.ShutDown();
  for (std::thread& t : threads) t.join();
}

void Controller::EnqueueEverything() {
  for (const api::ProjectView& project : cache_.Projects()) queue_.Add(ProjectKey(project.ns).Encode());
  // Keys from the cached objects, not their views: a view of every secret at once would be a
  // passing copy of most of the cache (10 MB with 10,000 secrets) that fragments the heap.
  for (const ClusterCache::Object& secret : cache_.AllSecretObjects()) {
    queue_.Add(SecretKey(api::KeyOf(*secret)).Encode());
  }
  for (const api::ShareView& share : cache_.AllShares())
    queue_.Add(WorkKey{WorkKind::kShare, share.key.ns, share.key.name}.Encode());
}

void Controller::Resync(std::chrono::seconds period) {
  EnqueueEverything();  // what changed while this replica did not reconcile
  std::unique_lock lock(mutex_);
  while (!stopping_cv_.wait_for(lock, period, [this] { return stopping_; })) {
    lock.unlock();
    EnqueueEverything();
    lock.lock();
  }
}

void Controller::Work() {
  while (std::optional<std::string> encoded = queue_.Get()) {
    std::optional<WorkKey> key = DecodeWorkKey(*encoded);
    if (!key) {  // never enqueued by this code; nothing to count or retry
      queue_.Forget(*encoded);
      queue_.Done(*encoded);
      continue;
    }
    enqueuer_.Began(*key);
    const auto started = std::chrono::steady_clock::now();
    ReconcileResult result = ProcessCatching(*key);
    ++reconciles_since_trim_;
    const auto took = std::chrono::steady_clock::now() - started;
    if (!result.status.ok()) {
      // Invalid input cannot be fixed by retrying soon; the resync looks again later.
      if (result.status.code() == StatusCode::kInvalidArgument) {
        queue_.Forget(*encoded);
        Count(key->kind, "dropped", took);
        spdlog::error("reconcile {} failed and will not be retried: {}", *encoded, result.status.ToString());
      } else {
        Count(key->kind, "retried", took);
        spdlog::warn("reconcile {} failed, retrying: {}", *encoded, result.status.ToString());
        queue_.AddRateLimited(*encoded);
        retries_.Increment();
      }
    } else {
      Count(key->kind, "ok", took);
      queue_.Forget(*encoded);
      for (const WorkKey& follow_up : FollowUps(*key)) enqueuer_.Add(follow_up);
      if (result.requeue_after) queue_.AddAfter(*encoded, *result.requeue_after);
    }
    queue_.Done(*encoded);
    TrimHeapIfDrained();
  }
}

void Controller::TrimHeapIfDrained() {
  // Measured after a restart with 10,000 secrets: 17 MB free in the heap, returned by a trim
  // (docs/benchmarks.md). A trim walks the whole heap, hence only after this many reconciles.
  constexpr int kReconcilesBetweenTrims = 1000;
  if (reconciles_since_trim_.load() < kReconcilesBetweenTrims || queue_.Len() > 0) return;
  if (reconciles_since_trim_.exchange(0) < kReconcilesBetweenTrims) return;  // another worker trims
  malloc_trim(0);
}

void Controller::Count(WorkKind kind, std::string_view result, std::chrono::steady_clock::duration took) {
  const std::string kind_name(KindName(kind));
  metrics_
      .GetCounter("kernel_secrets_reconciles_total", "Reconciles of work-queue keys, by kind of key and result.",
                  {{"kind", kind_name}, {"result", std::string(result)}})
      .Increment();
  metrics_
      .GetHistogram("kernel_secrets_reconcile_duration_seconds", "Time one reconcile of a key took, by kind of key.",
                    {{"kind", kind_name}})
      .Observe(std::chrono::duration<double>(took).count());
}

namespace {

// What the log may say about exception `e`: a JSON parse error quotes the text it stopped at, which
// may be part of a value; the other exceptions of this code and its libraries name types, keys and
// positions only.
std::string Describe(const std::exception& e) {
  if (dynamic_cast<const nlohmann::json::parse_error*>(&e) != nullptr) return "a JSON parse error";
  return e.what();
}

}  // namespace

ReconcileResult Controller::ProcessCatching(const WorkKey& key) {
  try {
    return Process(key);
  } catch (const std::exception& e) {
    metrics_
        .GetCounter("kernel_secrets_reconcile_exceptions_total",
                    "Reconciles that threw an exception (a bug: the key is retried like any failure), by kind of key.",
                    {{"kind", std::string(KindName(key.kind))}})
        .Increment();
    return ReconcileResult(Internal("the reconcile threw: " + Describe(e)));
  }
}

ReconcileResult Controller::Process(const WorkKey& key) {
  switch (key.kind) {
    case WorkKind::kProject:
      return reconciler_.ReconcileProject(key.ns);
    case WorkKind::kSecret:
      return reconciler_.ReconcileSecret(key.Object());
    case WorkKind::kShare:
      return reconciler_.ReconcileShare(key.Object());
    case WorkKind::kNamespace:
    case WorkKind::kCommunity:
    case WorkKind::kSecretName:
      return ReconcileResult::Done();  // only fans out
  }
  return ReconcileResult::Done();
}

std::vector<WorkKey> Controller::FollowUps(const WorkKey& key) const {
  std::vector<WorkKey> keys;
  switch (key.kind) {
    case WorkKind::kProject:
    case WorkKind::kShare:
      break;  // a share's change already named its secret and community
    case WorkKind::kSecret:
      for (const std::string& ns : ProjectsReachedBy(key.Object(), cache_)) keys.push_back(ProjectKey(ns));
      // A share's status says whether its secret is still the one it was made for.
      for (const api::ShareView& share : cache_.SharesOf(key.Object())) keys.push_back(ShareKey(share.key));
      break;
    case WorkKind::kNamespace:
      keys.push_back(ProjectKey(key.ns));
      for (const api::SecretView& secret : cache_.SecretsIn(key.ns)) keys.push_back(SecretKey(secret.key));
      break;
    case WorkKind::kCommunity:
      for (const api::ProjectView& project : cache_.ProjectsIn(key.name)) keys.push_back(ProjectKey(project.ns));
      for (const api::ShareView& share : cache_.SharesInto(key.name)) keys.push_back(SecretKey(share.SharedSecret()));
      break;
    case WorkKind::kSecretName:
      for (const api::ObjectKey& rival : Rivals(key.ns, key.name, cache_)) keys.push_back(SecretKey(rival));
      break;
  }
  return keys;
}

}  // namespace ks::op
