#include "operator/status.h"

#include "core/api/secret_name.h"

namespace ks::op {
namespace {

using nlohmann::json;

struct Condition {
  std::string type;
  bool value;
  std::string reason;
  std::string message;
};

const json* FindCondition(const json& status, const std::string& type) {
  if (!status.is_object() || !status.contains("conditions")) return nullptr;
  for (const json& condition : status["conditions"]) {
    if (condition.value("type", "") == type) return &condition;
  }
  return nullptr;
}

json ConditionsJson(const std::vector<Condition>& conditions, const json& current_status, std::int64_t generation,
                    const std::string& now) {
  json out = json::array();
  for (const Condition& c : conditions) {
    const std::string status = c.value ? "True" : "False";
    const json* previous = FindCondition(current_status, c.type);
    const bool flipped = !previous || previous->value("status", "") != status;
    out.push_back({{"type", c.type},
                   {"status", status},
                   {"reason", c.reason},
                   {"message", c.message},
                   {"observedGeneration", generation},
                   {"lastTransitionTime", flipped ? now : previous->value("lastTransitionTime", now)}});
  }
  return out;
}

std::string DescribeShadowing(const std::vector<Shadowing>& shadowed) {
  std::string message = "hidden by a secret with the same name in ";
  for (std::size_t i = 0; i < shadowed.size(); ++i) {
    if (i > 0) message += ", ";
    message += "project \"" + shadowed[i].project + "\" (by " + shadowed[i].winner.ToString() + ")";
  }
  return message;
}

Condition SecretReady(const SecretObservation& o) {
  if (!o.decrypts) return {"Ready", false, "DecryptFailed", "the content cannot be decrypted: " + o.decrypt_problem};
  if (o.startup_variable)
    return {"Ready", false, "StartupVariable",
            "no kernel gets this secret: " + *o.startup_variable + "; give it another name"};
  if (!o.in_project)
    return {"Ready", false, "NotAProject", "the namespace is not a project, so no kernel gets this secret"};
  for (const Shadowing& s : o.shadowed) {
    if (s.project == s.hidden.ns)
      return {"Ready", false, "Shadowed", "another secret of the project has the same name"};
  }
  return {"Ready", true, "Available", "kernels of the projects that see this secret get it at their next restart"};
}

Condition ShareReady(const ShareObservation& o) {
  const std::string secret = "secrets.kernelsecrets.dev \"" + o.secret_name + "\"";
  switch (o.state) {
    case ShareState::kShared:
      return {"Ready", true, "Shared",
              "kernels of community \"" + o.community + "\" get the secret at their next restart"};
    case ShareState::kSecretNotFound:
      return {"Ready", false, "SecretNotFound", "no " + secret + " in this namespace"};
    case ShareState::kSecretReplaced:
      return {"Ready", false, "SecretReplaced",
              secret +
                  " is not the secret this share was made for (it was deleted and created again since), "
                  "so this share shares nothing; to share the new secret, delete this share and create "
                  "another"};
    case ShareState::kStartupVariable:
      return {"Ready", false, "StartupVariable", secret + " is not shared: " + o.startup_variable};
  }
  return {"Ready", false, "Unknown", ""};
}

}  // namespace

json DesiredSecretStatus(const json& current_status, const SecretObservation& o, const std::string& now) {
  const std::vector<Condition> conditions = {
      SecretReady(o),
      o.decrypts ? Condition{"DecryptFailed", false, "Decrypted", "the content decrypts with the current keyring"}
                 : Condition{"DecryptFailed", true, "DecryptFailed", o.decrypt_problem},
      o.shadowed.empty() ? Condition{"Shadowed", false, "Unique", "no other visible secret has the same name"}
                         : Condition{"Shadowed", true, "NameClash", DescribeShadowing(o.shadowed)},
  };
  json status = {{"observedGeneration", o.generation},
                 {"visibleIn", o.visible_in},
                 {"conditions", ConditionsJson(conditions, current_status, o.generation, now)}};
  if (!o.content_modified_time.empty()) status["contentModifiedTime"] = o.content_modified_time;
  return status;
}

ShareObservation ObserveShare(const api::ShareView& share, const std::optional<api::SecretView>& secret,
                              std::int64_t generation) {
  ShareObservation o{.generation = generation,
                     .secret_name = share.secret_name,
                     .community = share.community,
                     .secret_uid = share.bound_secret_uid};
  if (!secret) {
    o.state = ShareState::kSecretNotFound;
    return o;
  }
  if (!ShareIsBoundTo(share, *secret)) {
    o.state = ShareState::kSecretReplaced;
    return o;
  }
  o.secret_uid = secret->uid;  // the binding: kept, or recorded at the first reconcile
  if (std::optional<std::string> why = api::WhyNameChangesStartup(secret->spec_name)) {
    o.state = ShareState::kStartupVariable;
    o.startup_variable = std::move(*why);
  } else {
    o.state = ShareState::kShared;
  }
  return o;
}

json DesiredShareStatus(const json& current_status, const ShareObservation& o, const std::string& now) {
  json status = {{"observedGeneration", o.generation},
                 {"conditions", ConditionsJson({ShareReady(o)}, current_status, o.generation, now)}};
  if (!o.secret_uid.empty()) status["secretUID"] = o.secret_uid;
  return status;
}

std::string ConditionStatus(const json& status, const std::string& type) {
  const json* condition = FindCondition(status, type);
  return condition ? condition->value("status", "") : "";
}

std::string ConditionMessage(const json& status, const std::string& type) {
  const json* condition = FindCondition(status, type);
  return condition ? condition->value("message", "") : "";
}

}  // namespace ks::op
