// A ClusterView held in plain containers, for tests of the pure operator logic.
#pragma once

#include <map>
#include <stdexcept>

#include "operator/cluster_view.h"

namespace ks::op {

// A cluster held in plain containers.
class FakeCluster : public ClusterView {
 public:
  FakeCluster& AddProject(std::string ns, std::optional<std::string> community) {
    projects_[ns] = {ns, std::move(community)};
    return *this;
  }
  FakeCluster& AddSecret(std::string ns, std::string name, std::string spec_name, std::string created_at,
                         nlohmann::json encrypted = {{"ciphertext", "opaque"}}) {
    api::SecretView s;
    s.key = {std::move(ns), std::move(name)};
    s.spec_name = std::move(spec_name);
    s.created_at = std::move(created_at);
    s.encrypted = api::EncryptedText(encrypted);
    secrets_.push_back(std::move(s));
    return *this;
  }
  FakeCluster& AddShare(std::string ns, std::string secret_name, std::string community, std::string created_at) {
    api::ShareView s;
    s.key = {ns, "share-" + secret_name + "-" + community + "-" + created_at};
    s.secret_name = std::move(secret_name);
    s.community = std::move(community);
    s.created_at = std::move(created_at);
    shares_.push_back(std::move(s));
    return *this;
  }
  api::SecretView& Secret(const std::string& ns, const std::string& name) {
    for (auto& s : secrets_) {
      if (s.key == api::ObjectKey{ns, name}) return s;
    }
    throw std::logic_error("no such secret in the fake");
  }
  api::ShareView& LastShare() { return shares_.back(); }

  std::optional<api::ProjectView> Project(const std::string& ns) const override {
    auto it = projects_.find(ns);
    return it == projects_.end() ? std::nullopt : std::optional(it->second);
  }
  std::vector<api::SecretView> SecretsIn(const std::string& ns) const override {
    std::vector<api::SecretView> out;
    for (const auto& s : secrets_) {
      if (s.key.ns == ns) out.push_back(s);
    }
    return out;
  }
  std::optional<api::SecretView> FindSecret(const api::ObjectKey& key) const override {
    for (const auto& s : secrets_) {
      if (s.key == key) return s;
    }
    return std::nullopt;
  }
  std::vector<api::ShareView> SharesInto(const std::string& community) const override {
    std::vector<api::ShareView> out;
    for (const auto& s : shares_) {
      if (s.community == community) out.push_back(s);
    }
    return out;
  }
  std::vector<api::ShareView> SharesOf(const api::ObjectKey& secret) const override {
    std::vector<api::ShareView> out;
    for (const auto& s : shares_) {
      if (s.SharedSecret() == secret) out.push_back(s);
    }
    return out;
  }
  std::vector<api::ProjectView> ProjectsIn(const std::string& community) const override {
    std::vector<api::ProjectView> out;
    for (const auto& [ns, p] : projects_) {
      if (p.community == community) out.push_back(p);
    }
    return out;
  }

 private:
  std::map<std::string, api::ProjectView> projects_;
  std::vector<api::SecretView> secrets_;
  std::vector<api::ShareView> shares_;
};

}  // namespace ks::op
