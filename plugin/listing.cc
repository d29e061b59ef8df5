#include "plugin/listing.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/api/constants.h"
#include "core/kube/object.h"

namespace ks::plugin {
namespace {

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

// "True", or "False (Reason)" so that a user sees why a secret does not reach kernels.
std::string Readiness(const json& secret) {
  const json conditions =
      secret.contains("/status/conditions"_json_pointer) ? secret.at("/status/conditions"_json_pointer) : json();
  if (!conditions.is_array()) return "Unknown";
  for (const json& condition : conditions) {
    if (!condition.is_object() || condition.value("type", "") != "Ready") continue;
    const std::string status = condition.value("status", "Unknown");
    const std::string reason = condition.value("reason", "");
    return status == "True" || reason.empty() ? status : status + " (" + reason + ")";
  }
  return "Unknown";
}

std::string VisibleIn(const json& secret) {
  if (!secret.contains("/status/visibleIn"_json_pointer)) return "-";
  const json& count = secret.at("/status/visibleIn"_json_pointer);
  return count.is_number_integer() ? std::to_string(count.get<long>()) : "-";
}

std::vector<std::string> Row(const std::string& name, const json& secret, const std::string& shared_into) {
  if (secret.is_null()) return {name, "-", kHiddenValue, "Unknown", "-", shared_into, "-"};
  return {name,
          OrDash(api::ViewSecret(secret).spec_name),
          kHiddenValue,
          Readiness(secret),
          VisibleIn(secret),
          shared_into,
          OrDash(kube::Annotation(secret, api::kCreatedByAnnotation))};
}

const json& Items(const json& list) {
  static const json kEmpty = json::array();
  return list.is_array() ? list : kEmpty;
}

}  // namespace

std::vector<api::ShareView> SharesInto(const json& shares, const std::string& community,
                                       const std::string& own_namespace) {
  // Two shares of one secret into one community show it once, as the kernels see it once.
  std::map<api::ObjectKey, api::ShareView> into;
  for (const json& object : Items(shares)) {
    api::ShareView share = api::ViewShare(object);
    if (share.community == community && share.key.ns != own_namespace && !share.deleting) {
      into.try_emplace(share.SharedSecret(), std::move(share));
    }
  }
  std::vector<api::ShareView> unique;
  for (auto& [key, share] : into) unique.push_back(std::move(share));
  return unique;
}

Table SecretTable(const json& own_secrets, const json& own_shares, const std::vector<SharedIn>& shared_in) {
  Table table{{"NAME", "VARIABLE", "VALUE", "READY", "VISIBLE-IN", "SHARED-INTO", "CREATED-BY"}, {}};

  std::vector<json> secrets(Items(own_secrets).begin(), Items(own_secrets).end());
  std::sort(secrets.begin(), secrets.end(),
            [](const json& a, const json& b) { return api::KeyOf(a).name < api::KeyOf(b).name; });
  for (const json& secret : secrets) {
    const std::string name = api::KeyOf(secret).name;
    std::set<std::string> communities;
    for (const json& object : Items(own_shares)) {
      const api::ShareView share = api::ViewShare(object);
      if (share.secret_name == name && !share.deleting) communities.insert(share.community);
    }
    table.rows.push_back(Row(name, secret, OrDash(fmt::format("{}", fmt::join(communities, ",")))));
  }

  std::vector<const SharedIn*> shared(shared_in.size());
  std::transform(shared_in.begin(), shared_in.end(), shared.begin(), [](const SharedIn& s) { return &s; });
  std::sort(shared.begin(), shared.end(),
            [](const SharedIn* a, const SharedIn* b) { return a->share.SharedSecret() < b->share.SharedSecret(); });
  for (const SharedIn* s : shared) {
    table.rows.push_back(Row(s->share.secret_name, s->secret, "shared from " + s->share.key.ns));
  }
  return table;
}

}  // namespace ks::plugin
