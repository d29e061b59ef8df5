// Runs the reconciler: informer events become work-queue keys, worker threads take keys (never one
// key on two workers at once), reconcile, and follow up with the keys a result calls for. Errors
// are retried with per-key exponential backoff; a periodic resync looks at everything again.
// A reconcile that throws fails its key like an error, never the process. Every reconcile is
// counted and timed by kind of key:
//   kernel_secrets_reconciles_total{kind,result}: result "ok", "retried" (an error or an
//   exception) or "dropped" (invalid input, left to the next resync);
//   kernel_secrets_reconcile_exceptions_total{kind}: reconciles that threw, a bug to report;
//   kernel_secrets_reconcile_duration_seconds{kind}.
// And its queue: kernel_secrets_workqueue_depth, kernel_secrets_workqueue_oldest_item_age_seconds
// (read at each scrape) and kernel_secrets_workqueue_retries_total.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/kube/workqueue.h"
#include "core/metrics/registry.h"
#include "operator/cluster_cache.h"
#include "operator/key_pacer.h"
#include "operator/reconciler.h"
#include "operator/work_keys.h"

namespace ks::op {

// How often a burst of changes may rewrite one project's native Secret (KeyPacer): long enough
// for a user's `kubectl apply -f` of a folder of secrets to land in one or two writes, short
// against the time a kernel takes to restart.
inline constexpr std::chrono::seconds kProjectWindow{1};

// Puts keys on the queue; project keys are paced (KeyPacer over kProjectWindow), whether they come
// from an informer handler or from a reconcile's follow-ups.
class Enqueuer {
 public:
  explicit Enqueuer(kube::WorkQueue& queue, KeyPacer::Duration project_window = kProjectWindow);
  void Add(const WorkKey& key);
  // A reconcile of `key` begins: the project's window starts now.
  void Began(const WorkKey& key);

 private:
  kube::WorkQueue& queue_;
  KeyPacer projects_;
};

// Informer handlers that turn every change into keys.
ClusterCacheHandlers EnqueueingHandlers(Enqueuer& enqueuer);

class Controller {
 public:
  // `enqueuer` puts keys on `queue`.
  Controller(Reconciler& reconciler, const ClusterCache& cache, kube::WorkQueue& queue, Enqueuer& enqueuer,
             metrics::Registry& metrics);
  ~Controller();  // stops

  // Starts `workers` threads and a resync that queues everything at once and then every
  // `resync_period`; returns without waiting for either. Call once the cache has synced. Nothing
  // after Stop: a controller that stopped stays stopped.
  void Start(int workers, std::chrono::seconds resync_period);
  // Shuts the queue down, so that workers take no more keys, and joins the threads it started.
  void Stop();

  // Adds a key for every project, namespace, secret and share in the cache.
  void EnqueueEverything();

 private:
  void Work();
  void Resync(std::chrono::seconds period);
  ReconcileResult Process(const WorkKey& key);
  // Process, with an exception turned into an Internal error of the key.
  ReconcileResult ProcessCatching(const WorkKey& key);
  void Count(WorkKind kind, std::string_view result, std::chrono::steady_clock::duration took);
  // The keys that must be looked at once `key` reconciled.
  std::vector<WorkKey> FollowUps(const WorkKey& key) const;
  // Once the queue has drained after many reconciles, gives the heap's free memory back to the
  // system (malloc_trim): a burst, or the reconcile of everything after a start, leaves the passing
  // allocations of thousands of reconciles free between cached objects, where glibc keeps them.
  void TrimHeapIfDrained();

  Reconciler& reconciler_;
  const ClusterCache& cache_;
  kube::WorkQueue& queue_;
  Enqueuer& enqueuer_;
  metrics::Registry& metrics_;
  metrics::Counter& retries_;
  metrics::ScrapeHook queue_gauges_;
  std::atomic<int> reconciles_since_trim_{0};
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable stopping_cv_;
  bool stopping_ = false;
};

}  // namespace ks::op
