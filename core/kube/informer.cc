#include "core/kube/informer.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "core/kube/object.h"

namespace ks::kube {

Informer::Informer(Client& client, Resource resource, InformerOptions options, InformerHandlers handlers)
    : client_(client),
      resource_(std::move(resource)),
      options_(std::move(options)),
      handlers_(std::move(handlers)),
      metrics_(MetricsIn(options_.metrics, resource_)) {}

Informer::Metrics Informer::MetricsIn(metrics::Registry* registry, const Resource& resource) {
  if (registry == nullptr) return {};
  // kubectl's name for a resource: the plural, qualified by its group outside the core API.
  const metrics::Labels labels = {{"resource", resource.plural + (resource.group.empty() ? "" : "." + resource.group)}};
  return {
      .relists = &registry->GetCounter("kernel_secrets_relists_total",
                                       "Complete lists of a resource into the cache: the first one, then one after "
                                       "each watch whose resourceVersion had expired.",
                                       labels),
      .watch_restarts = &registry->GetCounter(
          "kernel_secrets_watch_restarts_total",
          "Watches of a resource that ended with an error (not the server's own timeout) and were started again.",
          labels),
      .synced = &registry->GetGauge(
          "kernel_secrets_informer_synced",
          "1 once the cache of a resource holds its first complete list, else 0.", labels),
  };
}

Informer::~Informer() { Stop(); }

void Informer::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Informer::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  cancel_.Cancel();
  if (thread_.joinable()) thread_.join();
}

bool Informer::WaitForSync(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [this] { return synced_ || stopping_; });
  return synced_;
}

bool Informer::HasSynced() const {
  std::lock_guard lock(mutex_);
  return synced_;
}

std::string Informer::LastSyncResourceVersion() const {
  std::lock_guard lock(mutex_);
  return last_sync_resource_version_;
}

ObjectPtr Informer::Get(const std::string& ns, const std::string& name) const {
  std::lock_guard lock(mutex_);
  return cache_.Get(resource_.namespaced ? ns : "", name);
}

std::vector<ObjectPtr> Informer::List() const {
  std::lock_guard lock(mutex_);
  return cache_.List();
}

std::vector<ObjectPtr> Informer::ListInNamespace(const std::string& ns) const {
  std::lock_guard lock(mutex_);
  return cache_.ListInNamespace(ns);
}

void Informer::Run() {
  const std::string what = resource_.plural + (options_.ns.empty() ? "" : " in " + options_.ns);
  std::chrono::milliseconds backoff = options_.initial_backoff;
  const auto fail = [&](const Status& status) {
    spdlog::warn("informer {}: {}; retrying in {} ms", what, status.ToString(), backoff.count());
    Pause(backoff);
    backoff = std::min(backoff * 2, options_.max_backoff);
  };

  bool must_list = true;
  while (!cancel_.cancelled()) {
    if (must_list) {
      if (Status listed = Relist(); !listed.ok()) {
        fail(listed);
        continue;
      }
      must_list = false;
    }
    bool received = false;
    const Status watched = WatchFromLastVersion(received);
    if (watched.ok() || received) backoff = options_.initial_backoff;
    if (watched.ok()) continue;
    if (metrics_.watch_restarts) metrics_.watch_restarts->Increment();
    if (watched.code() == StatusCode::kGone) {
      spdlog::info("informer {}: resourceVersion {} is gone; relisting", what, resource_version_);
      must_list = true;
      continue;
    }
    fail(watched);
  }
}

Status Informer::Relist() {
  ListOptions list_options;
  list_options.label_selector = options_.label_selector;
  list_options.metadata_only = options_.metadata_only;
  list_options.limit = options_.list_page_size;
  std::vector<ObjectPtr> objects;
  std::string list_version;
  do {
    StatusOr<json> page = client_.List(resource_, options_.ns, list_options);
    if (!page.ok()) return page.status();
    TakeItems(*page, objects);
    list_version = MetadataField(*page, "resourceVersion");
    list_options.continue_token = MetadataField(*page, "continue");
  } while (!list_options.continue_token.empty());

  resource_version_ = std::move(list_version);
  std::vector<CacheDelta> deltas;
  {
    std::lock_guard lock(mutex_);
    deltas = cache_.Replace(std::move(objects));
    last_sync_resource_version_ = resource_version_;
  }
  for (const CacheDelta& delta : deltas) Dispatch(delta);
  deltas.clear();
  // The objects the list replaced, and the pages it read, are freed now; glibc keeps freed memory
  // in its arenas until asked to give it back.
  malloc_trim(0);
  // Synced only now: whoever waited for it may rely on the handlers having seen the first list.
  {
    std::lock_guard lock(mutex_);
    synced_ = true;
  }
  changed_.notify_all();
  if (metrics_.relists) {
    metrics_.relists->Increment();
    metrics_.synced->Set(1);
  }
  return Status::Ok();
}

void Informer::TakeItems(json& list, std::vector<ObjectPtr>& objects) const {
  // Items of a list lack apiVersion and kind, which watch events carry: give every cached object
  // the same shape, so that handlers can, say, name it in an Event.
  // The list's apiVersion is the items' own: the resource's, or meta.k8s.io/v1 for metadata only.
  std::string kind = list.value("kind", "");
  if (kind.ends_with("List")) kind.resize(kind.size() - 4);
  const std::string api_version = list.value("apiVersion", resource_.ApiVersion());
  for (json& item : list["items"]) {
    item["apiVersion"] = api_version;
    item["kind"] = kind;
    objects.push_back(Cached(std::move(item)));
  }
}

ObjectPtr Informer::Cached(json object) const {
  if (options_.transform) options_.transform(object);
  return std::make_shared<const json>(std::move(object));
}

Status Informer::WatchFromLastVersion(bool& received) {
  // Jitter (up to twice the timeout) spreads the reconnects of many informers, as client-go does.
  thread_local std::minstd_rand random(std::random_device{}());
  const int timeout = static_cast<int>(options_.watch_timeout.count());
  ListOptions watch_options;
  watch_options.label_selector = options_.label_selector;
  watch_options.metadata_only = options_.metadata_only;
  watch_options.resource_version = resource_version_;
  watch_options.timeout_seconds = timeout + std::uniform_int_distribution<int>(0, timeout)(random);
  return client_.Watch(
      resource_, options_.ns, watch_options, [&](const WatchEvent& event) { return OnWatchEvent(event, received); },
      cancel_, options_.idle_timeout);
}

bool Informer::OnWatchEvent(const WatchEvent& event, bool& received) {
  received = true;
  if (std::string version = MetadataField(event.object, "resourceVersion"); !version.empty()) {
    resource_version_ = std::move(version);
  }
  if (event.type == "BOOKMARK") return true;

  ObjectPtr object = Cached(event.object);
  CacheDelta delta;
  {
    std::lock_guard lock(mutex_);
    if (event.type == "DELETED") {
      cache_.Remove(*object);
      delta = {CacheDelta::Type::kDeleted, object, nullptr};
    } else if (ObjectPtr old_object = cache_.Upsert(object)) {
      delta = {CacheDelta::Type::kUpdated, std::move(old_object), object};
    } else {
      delta = {CacheDelta::Type::kAdded, nullptr, object};
    }
  }
  Dispatch(delta);
  return !cancel_.cancelled();
}

void Informer::Dispatch(const CacheDelta& delta) const {
  switch (delta.type) {
    case CacheDelta::Type::kAdded:
      if (handlers_.on_add) handlers_.on_add(delta.new_object);
      break;
    case CacheDelta::Type::kUpdated:
      if (handlers_.on_update) handlers_.on_update(delta.old_object, delta.new_object);
      break;
    case CacheDelta::Type::kDeleted:
      if (handlers_.on_delete) handlers_.on_delete(delta.old_object);
      break;
  }
}

void Informer::Pause(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, delay, [this] { return stopping_; });
}

}  // namespace ks::kube
