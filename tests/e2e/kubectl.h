// Drives the product as a user does: kubectl (as the admin, or impersonating a user and groups)
// against the local cluster.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ks::e2e {

using nlohmann::json;

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;

  bool ok() const { return exit_code == 0; }
};

// Runs `argv` with `input` on its standard input; output is captured, never inherited.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input = "");

class Kubectl {
 public:
  Kubectl() = default;
  // Acts as `user` in `groups` (kubectl --as/--as-group), e.g. a project member.
  Kubectl(std::string user, std::vector<std::string> groups) : user_(std::move(user)), groups_(std::move(groups)) {}

  CommandResult Run(const std::vector<std::string>& args, const std::string& input = "") const;
  // kubectl apply/create -f - of a manifest.
  CommandResult Apply(const json& manifest) const;
  CommandResult Create(const json& manifest) const;
  // `kubectl get ... -o json`, null when it fails (e.g. NotFound).
  json Get(const std::vector<std::string>& args) const;

 private:
  std::string user_;
  std::vector<std::string> groups_;
};

}  // namespace ks::e2e
