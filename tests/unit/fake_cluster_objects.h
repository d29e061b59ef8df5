// The reconciler's collaborators held in memory: the cluster's stored objects (FakeClusterObjects,
// views derived from them as the operator's cache derives them), an ObjectWriter that records
// every call and answers from a script, and an EventSink that keeps what it is given.
#pragma once

#include <deque>
#include <map>
#include <set>

#include "core/kube/events.h"
#include "operator/cluster_view.h"
#include "operator/object_writer.h"

namespace ks::op::testing {

using nlohmann::json;

class FakeClusterObjects : public ClusterObjects {
 public:
  void AddProject(const std::string& ns, const std::string& community = "") {
    json labels = {{std::string(api::kProjectLabel), "true"}};
    if (!community.empty()) labels[std::string(api::kCommunityLabel)] = community;
    namespaces_[ns] = std::make_shared<const json>(json{{"metadata", {{"name", ns}, {"labels", labels}}}});
  }
  // The namespace answers Project() `lookups` more times, then is gone: a deletion that the watch
  // delivers while a reconcile is running.
  void RemoveProjectAfter(const std::string& ns, int lookups) { lookups_left_[ns] = lookups; }
  void PutSecret(json object) { Put(secrets_, std::move(object)); }
  void PutShare(json object) { Put(shares_, std::move(object)); }
  void PutNativeSecret(json object) { Put(native_secrets_, std::move(object)); }

  std::optional<api::ProjectView> Project(const std::string& ns) const override {
    if (auto left = lookups_left_.find(ns); left != lookups_left_.end() && left->second-- <= 0) return std::nullopt;
    auto it = namespaces_.find(ns);
    return it == namespaces_.end() ? std::nullopt : api::ViewProject(*it->second);
  }
  std::vector<api::SecretView> SecretsIn(const std::string& ns) const override {
    return Views<api::SecretView>(secrets_, api::ViewSecret, [&](const auto& s) { return s.key.ns == ns; });
  }
  std::optional<api::SecretView> FindSecret(const api::ObjectKey& key) const override {
    Object object = SecretObject(key);
    return object ? std::optional(api::ViewSecret(*object)) : std::nullopt;
  }
  std::vector<api::ShareView> SharesInto(const std::string& community) const override {
    return Views<api::ShareView>(shares_, api::ViewShare, [&](const auto& s) { return s.community == community; });
  }
  std::vector<api::ShareView> SharesOf(const api::ObjectKey& secret) const override {
    return Views<api::ShareView>(shares_, api::ViewShare, [&](const auto& s) {
      return s.key.ns == secret.ns && s.secret_name == secret.name;
    });
  }
  std::vector<api::ProjectView> ProjectsIn(const std::string& community) const override {
    std::vector<api::ProjectView> out;
    for (const auto& [ns, object] : namespaces_) {
      if (auto project = Project(ns); project && project->community == community) out.push_back(*project);
    }
    return out;
  }
  Object NativeSecret(const std::string& ns) const override { return Find(native_secrets_, {ns, "kernel-secrets"}); }
  Object SecretObject(const api::ObjectKey& key) const override { return Find(secrets_, key); }
  Object ShareObject(const api::ObjectKey& key) const override { return Find(shares_, key); }
  std::vector<Object> NotebookServersIn(const std::string&) const override { return {}; }

 private:
  using Objects = std::map<api::ObjectKey, Object>;

  static void Put(Objects& objects, json object) {
    const api::ObjectKey key = api::KeyOf(object);
    objects[key] = std::make_shared<const json>(std::move(object));
  }
  static Object Find(const Objects& objects, const api::ObjectKey& key) {
    auto it = objects.find(key);
    return it == objects.end() ? nullptr : it->second;
  }
  template <typename View, typename Make, typename Keep>
  static std::vector<View> Views(const Objects& objects, Make make, Keep keep) {
    std::vector<View> out;
    for (const auto& [key, object] : objects) {
      if (View view = make(*object); keep(view)) out.push_back(std::move(view));
    }
    return out;
  }

  std::map<std::string, Object> namespaces_;
  mutable std::map<std::string, int> lookups_left_;
  Objects secrets_;
  Objects shares_;
  Objects native_secrets_;
};

// One call the reconciler made.
struct WriterCall {
  std::string verb;  // get, create, update, patch, delete
  std::string resource;
  std::string ns;
  std::string name;
  json body;  // the object or the patch; null for get and delete
};

class RecordingWriter : public ObjectWriter {
 public:
  // Answers the next call with `answer` instead of success (which echoes the body back).
  void AnswerNext(StatusOr<json> answer) { answers_.push_back(std::move(answer)); }
  const std::vector<WriterCall>& calls() const { return calls_; }
  std::vector<WriterCall> Writes() const {
    std::vector<WriterCall> writes;
    for (const WriterCall& call : calls_) {
      if (call.verb != "get") writes.push_back(call);
    }
    return writes;
  }

  StatusOr<json> Get(const kube::Resource& r, const std::string& ns, const std::string& name) override {
    return Answer({"get", r.plural, ns, name, nullptr});
  }
  StatusOr<json> Create(const kube::Resource& r, const std::string& ns, const json& object) override {
    return Answer({"create", r.plural, ns, object.value("/metadata/name"_json_pointer, ""), object});
  }
  StatusOr<json> Update(const kube::Resource& r, const std::string& ns, const json& object) override {
    return Answer({"update", r.plural, ns, object.value("/metadata/name"_json_pointer, ""), object});
  }
  StatusOr<json> MergePatch(const kube::Resource& r, const std::string& ns, const std::string& name,
                            const json& patch, const std::string& subresource) override {
    return Answer({subresource.empty() ? "patch" : "patch " + subresource, r.plural, ns, name, patch});
  }
  Status Delete(const kube::Resource& r, const std::string& ns, const std::string& name,
                const std::optional<std::string>&) override {
    return Answer({"delete", r.plural, ns, name, nullptr}).status();
  }

 private:
  StatusOr<json> Answer(WriterCall call) {
    calls_.push_back(call);
    if (answers_.empty()) return call.body.is_null() ? json::object() : call.body;
    StatusOr<json> answer = std::move(answers_.front());
    answers_.pop_front();
    return answer;
  }

  std::vector<WriterCall> calls_;
  std::deque<StatusOr<json>> answers_;
};

struct RecordedEvent {
  std::string object_name;
  kube::EventType type;
  std::string reason;
  std::string message;
};

class RecordingEvents : public kube::EventSink {
 public:
  void Record(const json& involved_object, kube::EventType type, const std::string& reason,
              const std::string& message) override {
    events.push_back({involved_object.value("/metadata/name"_json_pointer, ""), type, reason, message});
  }
  std::vector<RecordedEvent> events;
};

}  // namespace ks::op::testing
