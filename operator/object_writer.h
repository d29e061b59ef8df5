// The API calls the reconciler makes, and nothing else of the client: narrow, so that unit tests
// record them instead of sending them. ClientObjectWriter sends them with a kube::Client.
#pragma once

#include <optional>
#include <string>

#include "core/common/status.h"
#include "core/kube/client.h"

namespace ks::op {

class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  // As kube::Client's calls of the same names.
  virtual StatusOr<kube::json> Get(const kube::Resource& r, const std::string& ns, const std::string& name) = 0;
  virtual StatusOr<kube::json> Create(const kube::Resource& r, const std::string& ns, const kube::json& object) = 0;
  virtual StatusOr<kube::json> Update(const kube::Resource& r, const std::string& ns, const kube::json& object) = 0;
  virtual StatusOr<kube::json> MergePatch(const kube::Resource& r, const std::string& ns, const std::string& name,
                                          const kube::json& patch, const std::string& subresource = "") = 0;
  virtual Status Delete(const kube::Resource& r, const std::string& ns, const std::string& name,
                        const std::optional<std::string>& precondition_uid = std::nullopt) = 0;
};

class ClientObjectWriter : public ObjectWriter {
 public:
  // `client` must outlive the writer.
  explicit ClientObjectWriter(kube::Client& client) : client_(client) {}

  StatusOr<kube::json> Get(const kube::Resource& r, const std::string& ns, const std::string& name) override {
    return client_.Get(r, ns, name);
  }
  StatusOr<kube::json> Create(const kube::Resource& r, const std::string& ns, const kube::json& object) override {
    return client_.Create(r, ns, object);
  }
  StatusOr<kube::json> Update(const kube::Resource& r, const std::string& ns, const kube::json& object) override {
    return client_.Update(r, ns, object);
  }
  StatusOr<kube::json> MergePatch(const kube::Resource& r, const std::string& ns, const std::string& name,
                                  const kube::json& patch, const std::string& subresource) override {
    return client_.MergePatch(r, ns, name, patch, subresource);
  }
  Status Delete(const kube::Resource& r, const std::string& ns, const std::string& name,
                const std::optional<std::string>& precondition_uid) override {
    return client_.Delete(r, ns, name, precondition_uid);
  }

 private:
  kube::Client& client_;
};

}  // namespace ks::op
