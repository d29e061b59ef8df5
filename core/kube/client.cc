#include "core/kube/client.h"

// cpprestsdk's U() macro would break fmt (and so spdlog) in this file; this knob turns it off.
#define _TURN_OFF_PLATFORM_STRING
#include <cpprest/containerstream.h>
#include <cpprest/http_client.h>
#include <cpprest/ws_client.h>
#include <pplx/threadpool.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <initializer_list>
#include <iterator>
#include <mutex>
#include <utility>
#include <vector>

#include "core/kube/object.h"
#include "core/kube/wire.h"

namespace ks::kube {

struct CancelToken::State {
  pplx::cancellation_token_source source;
};

CancelToken::CancelToken() : state_(std::make_shared<State>()) {}
void CancelToken::Cancel() { state_->source.cancel(); }
bool CancelToken::cancelled() const { return state_->source.get_token().is_canceled(); }

namespace {

namespace http = web::http;
namespace websocket = web::websockets::client;
using http::client::http_client;
using http::client::http_client_config;

constexpr char kJson[] = "application/json";
// Ask the API server for metadata alone (meta.k8s.io/v1): an object, a watch event's object, a list.
constexpr char kPartialObjectMetadata[] = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";
constexpr char kPartialObjectMetadataList[] = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
constexpr char kMergePatch[] = "application/merge-patch+json";
constexpr char kJsonPatch[] = "application/json-patch+json";

std::string CollectionPath(const Resource& r, const std::string& ns) {
  std::string path = r.group.empty() ? "/api/" + r.version : "/apis/" + r.group + "/" + r.version;
  if (r.namespaced && !ns.empty()) path += "/namespaces/" + ns;
  return path + "/" + r.plural;
}

StatusOr<std::string> ObjectPath(const Resource& r, const std::string& ns, const std::string& name,
                                 const std::string& subresource = "") {
  if (name.empty()) return InvalidArgument(r.plural + ": the object has no name");
  if (r.namespaced && ns.empty()) return InvalidArgument(r.plural + "/" + name + ": the object has no namespace");
  std::string path = CollectionPath(r, ns) + "/" + name;
  return subresource.empty() ? path : path + "/" + subresource;
}

// "?k=v&..." of the parameters that have a value, values URL-encoded.
std::string Query(std::initializer_list<std::pair<const char*, std::string>> params) {
  std::string query;
  for (const auto& [key, value] : params) {
    if (value.empty()) continue;
    query += query.empty() ? "?" : "&";
    query += key;
    query += "=" + web::uri::encode_data_string(value);
  }
  return query;
}

std::string NamespaceFor(const std::string& ns, const json& object) {
  return ns.empty() ? MetadataField(object, "namespace") : ns;
}

// The Authorization header's token: static, or read from a file and re-read once it is older than
// `refresh`, because projected service-account tokens rotate under a running process.
class BearerToken {
 public:
  BearerToken(std::string token, std::string file, std::chrono::seconds refresh)
      : file_(std::move(file)), refresh_(refresh), token_(std::move(token)) {}

  std::string Get() {
    if (file_.empty()) return token_;
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (read_at_ && now - *read_at_ < refresh_) return token_;
    read_at_ = now;
    std::ifstream in(file_);
    if (!in) {
      spdlog::warn("cannot re-read the token file {}; keeping the previous token", file_);
      return token_;
    }
    std::string token{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    token.erase(token.find_last_not_of(" \t\r\n") + 1);
    token_ = std::move(token);
    return token_;
  }

 private:
  const std::string file_;
  const std::chrono::seconds refresh_;
  std::mutex mutex_;
  std::string token_;
  std::optional<std::chrono::steady_clock::time_point> read_at_;
};

// Cancels one request's own token on every exit, and when the caller's token is cancelled:
// cancelling closes the connection, so no pplx task keeps reading a stream nobody consumes.
class RequestCancellation {
 public:
  explicit RequestCancellation(pplx::cancellation_token outer)
      : outer_(std::move(outer)), registration_(outer_.register_callback([own = own_]() mutable { own.cancel(); })) {}
  ~RequestCancellation() {
    outer_.deregister_callback(registration_);
    own_.cancel();
  }
  RequestCancellation(const RequestCancellation&) = delete;
  RequestCancellation& operator=(const RequestCancellation&) = delete;

  pplx::cancellation_token token() const { return own_.get_token(); }

 private:
  pplx::cancellation_token_source own_;
  pplx::cancellation_token outer_;
  pplx::cancellation_token_registration registration_;
};

// Waits for `task` until `deadline`; true if it finished by then, with a result or an error.
template <typename Task>
bool FinishesBy(const Task& task, std::chrono::steady_clock::time_point deadline) {
  auto done = std::make_shared<std::promise<void>>();
  task.then([done](Task finished) {
    try {
      finished.wait();
    } catch (...) {
    }
    done->set_value();
  });
  return done->get_future().wait_until(deadline) == std::future_status::ready;
}

// The bytes of a websocket message, binary (exec's frames are) or text.
std::string MessageBytes(const websocket::websocket_incoming_message& message) {
  Concurrency::streams::container_buffer<std::string> bytes;
  message.body().read_to_end(bytes).get();
  return std::move(bytes.collection());
}

}  // namespace

class Client::Impl {
 public:
  explicit Impl(ClientConfig config)
      : config_(std::move(config)), token_(config_.bearer_token, config_.token_file, config_.token_refresh) {
    if (web::uri::validate(config_.server))
      http_.emplace(web::uri(config_.server), HttpConfig(config_.request_timeout));
  }

  StatusOr<ExecResult> Exec(const std::string& path_and_query, std::chrono::seconds timeout) {
    if (!http_) return InvalidArgument("not a server URL: " + config_.server);
    // The server's URL with the websocket scheme of its own, the path and query appended as they are.
    const web::uri server(config_.server);
    const std::string port = server.port() > 0 ? ":" + std::to_string(server.port()) : "";
    const web::uri url((server.scheme() == "http" ? "ws://" : "wss://") + server.host() + port + path_and_query);
    websocket::websocket_client socket(WebsocketConfig("v4.channel.k8s.io"));
    // Every step waits on a future with what is left of the deadline; closing the socket when it
    // passes makes whatever is pending fail, so nothing outlives this call for long.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string what = "exec " + path_and_query.substr(0, path_and_query.find('?'));
    try {
      auto connecting = socket.connect(url);
      if (!FinishesBy(connecting, deadline)) {
        socket.close().wait();
        return Unavailable(what + ": no connection within " + std::to_string(timeout.count()) + " s");
      }
      connecting.get();  // throws the handshake's error, such as a refused upgrade
      ExecResult result;
      while (!result.exit_code) {
        auto receiving = socket.receive();
        if (!FinishesBy(receiving, deadline)) {
          socket.close().wait();
          return Unavailable(what + ": the command did not end within " + std::to_string(timeout.count()) + " s");
        }
        websocket::websocket_incoming_message message = receiving.get();
        if (message.message_type() == websocket::websocket_message_type::close) break;
        KS_RETURN_IF_ERROR(ReadExecFrame(MessageBytes(message), result));
      }
      socket.close().wait();
      if (!result.exit_code) return Unavailable(what + ": the connection closed before the command ended");
      return result;
    } catch (const std::exception& e) {
      return Unavailable(what + ": " + e.what());
    }
  }

  // One request and its answer, cancelled (its connection closed) when `bound`, if any, passes first.
  StatusOr<json> Send(const CallDeadline& bound, const http::method& method, const StatusOr<std::string>& path,
                      const json* body = nullptr, const std::string& content_type = kJson,
                      const std::string& accept = kJson) {
    if (!path.ok()) return path.status();
    if (!http_) return InvalidArgument("not a server URL: " + config_.server);
    std::optional<std::chrono::steady_clock::time_point> deadline;
    if (bound) {
      deadline = bound();
      if (*deadline <= std::chrono::steady_clock::now()) {
        return Unavailable(method + " " + *path + ": not sent, its deadline has passed");
      }
    }
    http::http_request request = NewRequest(method, *path, accept);
    if (body != nullptr) {
      StatusOr<std::string> text = Serialize(*body);
      if (!text.ok()) return InvalidArgument(method + " " + *path + ": " + text.status().message());
      request.set_body(*text, content_type);
    }
    pplx::cancellation_token_source cancel;
    try {
      auto answered = http_->request(request, cancel.get_token()).then([](http::http_response response) {
        return response.extract_utf8string(/*ignore_content_type=*/true).then([response](std::string text) {
          return std::make_pair(response.status_code(), std::move(text));
        });
      });
      if (deadline && !FinishesBy(answered, *deadline)) {
        cancel.cancel();
        return Unavailable(method + " " + *path + ": cancelled, no answer before its deadline");
      }
      const auto [code, text] = answered.get();
      if (code >= 300) return StatusFromHttp(code, text);
      if (text.empty()) return json::object();
      json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded()) return Internal(method + " " + *path + ": the answer is not JSON");
      return parsed;
    } catch (const std::exception& e) {
      return Unavailable(method + " " + *path + ": " + e.what());
    }
  }

  Status Watch(const std::string& path, const std::string& accept,
               const std::function<bool(const WatchEvent&)>& on_event, const pplx::cancellation_token& cancel,
               std::chrono::seconds idle_timeout) {
    if (!http_) return InvalidArgument("not a server URL: " + config_.server);
    // cpprestsdk restarts its timeout whenever a chunk arrives: with a client of its own, that
    // timeout is the watchdog that abandons a silent stream.
    http_client watch_http(web::uri(config_.server), HttpConfig(idle_timeout));
    RequestCancellation cancellation(cancel);
    try {
      http::http_response response =
          watch_http.request(NewRequest(http::methods::GET, path, accept), cancellation.token()).get();
      if (response.status_code() != http::status_codes::OK) {
        return StatusFromHttp(response.status_code(), response.extract_utf8string(true).get());
      }
      // Read in chunks of what has arrived: istream::read_line takes a lock and a task per byte,
      // which was a tenth of the operator's CPU during a burst of creates (docs/benchmarks.md).
      Concurrency::streams::streambuf<uint8_t> body = response.body().streambuf();
      std::vector<uint8_t> chunk;
      WatchLines lines;
      while (true) {
        // At least one byte, so the read waits for the stream; never more than has arrived, so it
        // never waits for bytes the API server has not sent.
        chunk.resize(std::max<std::size_t>(1, body.in_avail()));
        const std::size_t read = body.getn(chunk.data(), chunk.size()).get();
        if (read == 0) {
          response.content_ready().get();  // throws if the stream broke rather than ended
          if (lines.Unterminated().empty()) return Status::Ok();
          StatusOr<WatchEvent> last = ParseWatchEvent(lines.Unterminated());
          if (last.ok()) on_event(*last);
          return last.status();
        }
        lines.Append(std::string_view(reinterpret_cast<const char*>(chunk.data()), read));
        while (std::optional<std::string_view> line = lines.Next()) {
          StatusOr<WatchEvent> event = ParseWatchEvent(*line);
          if (!event.ok()) return event.status();
          if (!on_event(*event)) return Status::Ok();
        }
      }
    } catch (const http::http_exception& e) {
      if (cancel.is_canceled()) return Status::Ok();
      if (e.error_code() == std::errc::timed_out) {
        return Unavailable("watch " + path + ": silent for " + std::to_string(idle_timeout.count()) + "s");
      }
      return Unavailable("watch " + path + ": " + e.what());
    } catch (const std::exception& e) {  // pplx::task_canceled among others
      if (cancel.is_canceled()) return Status::Ok();
      return Unavailable("watch " + path + ": " + e.what());
    }
  }

 private:
  // JSON allows only UTF-8, and dump() throws on any other string; the message names no content,
  // which may be a secret's.
  static StatusOr<std::string> Serialize(const json& body) {
    try {
      return body.dump();
    } catch (const json::type_error&) {
      return InvalidArgument("the request body holds a string that is not valid UTF-8; nothing was sent");
    }
  }

  // The TLS set-up of every connection, HTTP or websocket: the configured CA and client certificate.
  std::function<void(boost::asio::ssl::context&)> TlsSetup() const {
    return [ca = config_.ca_pem, cert = config_.client_cert_pem,
            key = config_.client_key_pem](boost::asio::ssl::context& context) {
      if (!ca.empty()) {
        // Trust only the configured CA, as kubectl does, not the system store cpprestsdk preloads.
        SSL_CTX_set_cert_store(context.native_handle(), X509_STORE_new());
        context.add_certificate_authority(boost::asio::buffer(ca));
      }
      if (!cert.empty()) {
        context.use_certificate_chain(boost::asio::buffer(cert));
        context.use_private_key(boost::asio::buffer(key), boost::asio::ssl::context::pem);
      }
    };
  }

  http_client_config HttpConfig(std::chrono::seconds timeout) const {
    http_client_config http_config;
    http_config.set_timeout(timeout);
    http_config.set_validate_certificates(!config_.insecure_skip_tls_verify);
    http_config.set_ssl_context_callback(TlsSetup());
    return http_config;
  }

  websocket::websocket_client_config WebsocketConfig(const std::string& subprotocol) {
    websocket::websocket_client_config ws_config;
    ws_config.set_validate_certificates(!config_.insecure_skip_tls_verify);
    ws_config.set_ssl_context_callback(TlsSetup());
    ws_config.add_subprotocol(subprotocol);
    // The headers of any request (authorization, user agent, impersonation) but Accept: the API
    // server answers an upgrade that accepts only JSON with 406.
    const http::http_request request = NewRequest(http::methods::GET, "/");
    for (const auto& [name, value] : request.headers()) {
      if (name != http::header_names::accept) ws_config.headers().add(name, value);
    }
    return ws_config;
  }

  http::http_request NewRequest(const http::method& method, const std::string& path_and_query,
                                const std::string& accept = kJson) {
    http::http_request request(method);
    request.set_request_uri(path_and_query);
    request.headers().add(http::header_names::accept, accept);
    if (std::string token = token_.Get(); !token.empty()) {
      request.headers().add(http::header_names::authorization, "Bearer " + token);
    }
    request.headers().add(http::header_names::user_agent, config_.user_agent);
    if (!config_.impersonate_user.empty()) request.headers().add("Impersonate-User", config_.impersonate_user);
    return request;
  }

  const ClientConfig config_;
  BearerToken token_;
  std::optional<http_client> http_;  // empty when config_.server is not a URL
};

void UseClientThreads(size_t threads) { crossplat::threadpool::initialize_with_threads(threads); }

Client::Client(ClientConfig config) : impl_(std::make_shared<Impl>(std::move(config))) {}
Client::Client(std::shared_ptr<Impl> impl, CallDeadline deadline) : impl_(std::move(impl)), deadline_(std::move(deadline)) {}
Client::~Client() = default;

Client Client::BoundBy(CallDeadline deadline) const { return Client(impl_, std::move(deadline)); }

StatusOr<json> Client::Get(const Resource& r, const std::string& ns, const std::string& name) {
  return impl_->Send(deadline_, http::methods::GET, ObjectPath(r, ns, name));
}

StatusOr<json> Client::GetMetadata(const Resource& r, const std::string& ns, const std::string& name) {
  return impl_->Send(deadline_, http::methods::GET, ObjectPath(r, ns, name), nullptr, kJson, kPartialObjectMetadata);
}

StatusOr<json> Client::List(const Resource& r, const std::string& ns, const ListOptions& options) {
  return impl_->Send(deadline_, http::methods::GET,
                     CollectionPath(r, ns) + Query({{"labelSelector", options.label_selector},
                                                    {"fieldSelector", options.field_selector},
                                                    {"resourceVersion", options.resource_version},
                                                    {"limit", options.limit > 0 ? std::to_string(options.limit) : ""},
                                                    {"continue", options.continue_token}}),
                     nullptr, kJson, options.metadata_only ? kPartialObjectMetadataList : kJson);
}

StatusOr<json> Client::Create(const Resource& r, const std::string& ns, const json& object) {
  return impl_->Send(deadline_, http::methods::POST, CollectionPath(r, NamespaceFor(ns, object)), &object);
}

StatusOr<json> Client::Update(const Resource& r, const std::string& ns, const json& object) {
  return impl_->Send(deadline_, http::methods::PUT, ObjectPath(r, NamespaceFor(ns, object), MetadataField(object, "name")),
                     &object);
}

StatusOr<json> Client::UpdateStatus(const Resource& r, const std::string& ns, const json& object) {
  return impl_->Send(deadline_, http::methods::PUT,
                     ObjectPath(r, NamespaceFor(ns, object), MetadataField(object, "name"), "status"), &object);
}

StatusOr<json> Client::MergePatch(const Resource& r, const std::string& ns, const std::string& name, const json& patch,
                                  const std::string& subresource) {
  return impl_->Send(deadline_, http::methods::PATCH, ObjectPath(r, ns, name, subresource), &patch, kMergePatch);
}

StatusOr<json> Client::JsonPatch(const Resource& r, const std::string& ns, const std::string& name, const json& patch,
                                 const std::string& subresource) {
  return impl_->Send(deadline_, http::methods::PATCH, ObjectPath(r, ns, name, subresource), &patch, kJsonPatch);
}

Status Client::Delete(const Resource& r, const std::string& ns, const std::string& name,
                      const std::optional<std::string>& precondition_uid) {
  json options = {{"apiVersion", "v1"}, {"kind", "DeleteOptions"}};
  if (precondition_uid) options["preconditions"] = {{"uid", *precondition_uid}};
  return impl_->Send(deadline_, http::methods::DEL, ObjectPath(r, ns, name), &options).status();
}

Status Client::Watch(const Resource& r, const std::string& ns, const ListOptions& options,
                     const std::function<bool(const WatchEvent&)>& on_event, const CancelToken& cancel,
                     std::chrono::seconds idle_timeout) {
  const std::string path =
      CollectionPath(r, ns) +
      Query({{"watch", "1"},
             {"resourceVersion", options.resource_version},
             {"allowWatchBookmarks", options.allow_bookmarks ? "true" : ""},
             {"timeoutSeconds", options.timeout_seconds > 0 ? std::to_string(options.timeout_seconds) : ""},
             {"labelSelector", options.label_selector},
             {"fieldSelector", options.field_selector}});
  return impl_->Watch(path, options.metadata_only ? kPartialObjectMetadata : kJson, on_event,
                      cancel.state_->source.get_token(), idle_timeout);
}

StatusOr<ExecResult> Client::Exec(const std::string& ns, const std::string& pod, const std::string& container,
                                  const std::vector<std::string>& command, std::chrono::seconds timeout) {
  StatusOr<std::string> path = ObjectPath(resources::kPods, ns, pod, "exec");
  if (!path.ok()) return path.status();
  std::string query = Query({{"container", container}, {"stdout", "true"}, {"stderr", "true"}});
  for (const std::string& argument : command) query += "&command=" + web::uri::encode_data_string(argument);
  return impl_->Exec(*path + query, timeout);
}

StatusOr<json> Client::CreateReview(const Resource& r, const json& review) {
  return impl_->Send(deadline_, http::methods::POST, CollectionPath(r, ""), &review);
}

}  // namespace ks::kube
