// A small Kubernetes API client over cpprestsdk's http_client: typed by resource, bodies as
// nlohmann::json. Thread-safe: one Client is shared by informers, reconcilers and webhooks.
// Every call returns a Status; HTTP errors map to canonical codes (404 NotFound, 409 Conflict or
// AlreadyExists, 410 Gone, 401/403, 422/400 InvalidArgument, 5xx and transport errors Unavailable),
// and the message is the API server's Status.message.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/kube/config.h"
#include "core/kube/resource.h"

namespace ks::kube {

using nlohmann::json;

// What a command run in a container (Client::Exec) wrote and how it ended.
struct ExecResult {
  std::string out;
  std::string err;
  std::optional<int> exit_code;  // nullopt until the server reported the end
};

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;  // watches start after it; lists: empty reads the latest state
  int timeout_seconds = 0;       // for watches: server-side end of the stream; 0 = server default
  // Lists: at most `limit` items (0: all); the answer's metadata.continue, given back as
  // continue_token, asks for the next page of the same snapshot.
  int limit = 0;
  std::string continue_token;
  bool allow_bookmarks = true;
  // Objects as PartialObjectMetadata (apiVersion meta.k8s.io/v1): metadata only, no spec, status or
  // data, so that e.g. a Secret's values never leave the API server.
  bool metadata_only = false;
};

struct WatchEvent {
  std::string type;  // ADDED, MODIFIED, DELETED, BOOKMARK (an ERROR event ends the Watch instead)
  json object;
};

// When the calls of a Client must have ended, on the steady clock. Read as each call starts: a call
// that would start at or after it is never sent.
using CallDeadline = std::function<std::chrono::steady_clock::time_point()>;

// Cancels a running Watch from another thread. Copies share one state; once cancelled, for good.
class CancelToken {
 public:
  CancelToken();
  void Cancel();
  bool cancelled() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
  friend class Client;
};

// Sizes the thread pool under every Client, cpprestsdk's, which starts 40 threads by default. Its
// threads only run the callbacks of the requests in flight (every call waits on its caller's
// thread), and each of the 40 keeps stack pages and a malloc cache of its own. Once, in main,
// before the first Client: the pool exists from then on.
void UseClientThreads(size_t threads);

class Client {
 public:
  explicit Client(ClientConfig config);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // A client on the same connections whose every call but Watch and Exec also ends by
  // `deadline()`: at the deadline it is cancelled, which closes its connection, and returns
  // Unavailable. For a leader's writes, which must end while its Lease is surely its own
  // (LeaderElector::LeadingUntil).
  Client BoundBy(CallDeadline deadline) const;

  // `ns` is ignored for cluster-scoped resources; an empty `ns` on a namespaced resource lists
  // across all namespaces.
  StatusOr<json> Get(const Resource& r, const std::string& ns, const std::string& name);
  // The object's metadata only (a PartialObjectMetadata): for reading a Secret's labels and
  // annotations without its data ever leaving the API server.
  StatusOr<json> GetMetadata(const Resource& r, const std::string& ns, const std::string& name);
  StatusOr<json> List(const Resource& r, const std::string& ns, const ListOptions& options = {});
  StatusOr<json> Create(const Resource& r, const std::string& ns, const json& object);
  // PUT; the object carries metadata.resourceVersion for optimistic concurrency (Conflict when stale).
  // Create, Update and UpdateStatus take the namespace from the object when `ns` is empty.
  StatusOr<json> Update(const Resource& r, const std::string& ns, const json& object);
  StatusOr<json> UpdateStatus(const Resource& r, const std::string& ns, const json& object);
  // RFC 7386 merge patch; `subresource` is "" or "status".
  StatusOr<json> MergePatch(const Resource& r, const std::string& ns, const std::string& name, const json& patch,
                            const std::string& subresource = "");
  // RFC 6902 JSON patch.
  StatusOr<json> JsonPatch(const Resource& r, const std::string& ns, const std::string& name, const json& patch,
                           const std::string& subresource = "");
  // A missing object is NotFound (callers that only want it gone treat that as done); a
  // precondition uid guards against deleting a newer object of the same name.
  Status Delete(const Resource& r, const std::string& ns, const std::string& name,
                const std::optional<std::string>& precondition_uid = std::nullopt);

  // Streams one watch request. `on_event` is called for every event line, in order, until the
  // stream ends (server timeout: Ok), the token is cancelled (Ok), `on_event` returns false (Ok),
  // the stream is silent for longer than `idle_timeout` (Unavailable), or an error happens: its
  // Status as for any call (Gone for 410, as a status code or an ERROR event), Unavailable for a
  // broken connection.
  // Every exit closes the connection: nothing keeps reading after Watch returns.
  Status Watch(const Resource& r, const std::string& ns, const ListOptions& options,
               const std::function<bool(const WatchEvent&)>& on_event, const CancelToken& cancel,
               std::chrono::seconds idle_timeout = std::chrono::seconds(90));

  // Runs `command` (argv, no shell) in `container` of the pod, as `kubectl exec` does, over the
  // API server's websocket exec protocol, with no input. Ok with the command's output and exit
  // code once it ended; Unavailable when `timeout` passed first (the connection is closed, which
  // ends the command's streams); the API server's error otherwise (Forbidden without pods/exec).
  StatusOr<ExecResult> Exec(const std::string& ns, const std::string& pod, const std::string& container,
                            const std::vector<std::string>& command, std::chrono::seconds timeout);

  // POST to a create-only API such as SubjectAccessReview; returns the server's answer.
  StatusOr<json> CreateReview(const Resource& r, const json& review);

 private:
  class Impl;
  Client(std::shared_ptr<Impl> impl, CallDeadline deadline);

  std::shared_ptr<Impl> impl_;
  CallDeadline deadline_;  // empty: only the configured request timeout
};

}  // namespace ks::kube
