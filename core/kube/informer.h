// Keeps an in-memory copy of one resource's objects (one namespace or all, optionally a label
// selector) current, as client-go's informer does: list, then watch from the list's
// resourceVersion; follow bookmarks; relist on Gone; reconnect with capped exponential backoff.
// Handlers run on the informer's own thread, after the cache took the change, so a handler that
// reads the cache sees it; they must not throw and should be quick (e.g. enqueue a key).
// Reads (Get, List...) are thread-safe and return shared immutable objects.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/kube/client.h"
#include "core/kube/object_cache.h"
#include "core/metrics/registry.h"

namespace ks::kube {

struct InformerHandlers {
  std::function<void(const ObjectPtr& object)> on_add;
  std::function<void(const ObjectPtr& old_object, const ObjectPtr& new_object)> on_update;
  std::function<void(const ObjectPtr& object)> on_delete;  // the object's last state
};

struct InformerOptions {
  std::string ns;  // empty: all namespaces
  std::string label_selector;
  // Caches PartialObjectMetadata instead of whole objects (ListOptions::metadata_only).
  bool metadata_only = false;
  // Applied to every object before the cache takes it and handlers see it (controller-runtime's
  // cache TransformFunc): drop what the program never reads, so that memory holds only what it
  // does. Must keep metadata.namespace, name and resourceVersion. Null: objects as served.
  std::function<void(nlohmann::json& object)> transform;
  // Where the informer counts its lists and failed watches and says whether it synced, labelled
  // resource=<plural>[.<group>]. Null: not counted. Must outlive the informer.
  metrics::Registry* metrics = nullptr;
  // A relist reads this many objects per request, so that neither the response nor its parse
  // ever holds the whole collection at once. Fewer than client-go's 500: a page's parse tree is
  // freed around the objects kept from it, and smaller pages leave smaller holes (the operator
  // after a restart with 10,000 Secrets: 97.0 MB with 500, 87.5 MB with 100; docs/benchmarks.md).
  int list_page_size = 100;
  // The server ends each watch after watch_timeout plus up to as much again of jitter, and the
  // informer resumes it. A watch silent for idle_timeout is taken for a dead connection, so keep
  // idle_timeout above twice watch_timeout: a quiet but healthy watch ends by itself first. Short,
  // because an API server that has just started can leave a watch of a custom resource open and
  // silent (seen on 1.20, when the watch began before the CRD was served again): such a watch is
  // given up after 75 s, and changes made meanwhile come with the relist.
  std::chrono::seconds watch_timeout{30};
  std::chrono::seconds idle_timeout{75};
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{30'000};
};

class Informer {
 public:
  // `client` must outlive the informer.
  Informer(Client& client, Resource resource, InformerOptions options, InformerHandlers handlers);
  ~Informer();  // stops
  Informer(const Informer&) = delete;
  Informer& operator=(const Informer&) = delete;

  // Starts the informer's thread. Once per informer.
  void Start();
  // Ends the watch and joins the thread (a list in flight is waited for, at most the request
  // timeout); no handler runs after Stop returns.
  void Stop();

  // True once the first list is in the cache and its on_add calls returned; false if `timeout`
  // passed or Stop came first.
  bool WaitForSync(std::chrono::milliseconds timeout) const;
  bool HasSynced() const;
  // The resourceVersion of the last list: it moves only on a relist.
  std::string LastSyncResourceVersion() const;

  ObjectPtr Get(const std::string& ns, const std::string& name) const;  // null if absent
  std::vector<ObjectPtr> List() const;
  std::vector<ObjectPtr> ListInNamespace(const std::string& ns) const;

 private:
  void Run();
  Status Relist();
  // Moves the items of one page of a list into `objects`, as the cache keeps them.
  void TakeItems(json& list, std::vector<ObjectPtr>& objects) const;
  // `object` transformed, ready for the cache.
  ObjectPtr Cached(json object) const;
  Status WatchFromLastVersion(bool& received);
  bool OnWatchEvent(const WatchEvent& event, bool& received);
  void Dispatch(const CacheDelta& delta) const;
  // Sleeps for `delay` unless Stop comes first.
  void Pause(std::chrono::milliseconds delay);

  // The informer's series in options.metrics; all null without it.
  struct Metrics {
    metrics::Counter* relists = nullptr;
    metrics::Counter* watch_restarts = nullptr;
    metrics::Gauge* synced = nullptr;
  };
  static Metrics MetricsIn(metrics::Registry* registry, const Resource& resource);

  Client& client_;
  const Resource resource_;
  const InformerOptions options_;
  const InformerHandlers handlers_;
  const Metrics metrics_;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;  // synced or stopping
  ObjectCache cache_;
  bool synced_ = false;
  bool stopping_ = false;
  std::string last_sync_resource_version_;

  std::string resource_version_;  // where the next watch resumes; informer thread only
  CancelToken cancel_;
  std::thread thread_;
};

}  // namespace ks::kube
