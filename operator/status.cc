#include "operator/status.h"

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
  if (!o.in_project)
    return {"Ready", false, "NotAProject", "the namespace is not a project, so no kernel gets this secret"};
  for (const Shadowing& s : o.shadowed) {
    if (s.project == s.hidden.ns)
      return {"Ready", false, "Shadowed", "another secret of the project has the same name"};
  }
  return {"Ready", true, "Available", "kernels of the projects that see this secret get it at their next restart"};
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

json DesiredShareStatus(const json& current_status, const ShareObservation& o, const std::string& now) {
  const Condition ready =
      o.secret_found ? Condition{"Ready", true, "Shared",
                                 "kernels of community \"" + o.community + "\" get the secret at their next restart"}
                     : Condition{"Ready", false, "SecretNotFound",
                                 "no secrets.kernelsecrets.dev \"" + o.secret_name + "\" in this namespace"};
  return {{"observedGeneration", o.generation},
          {"conditions", ConditionsJson({ready}, current_status, o.generation, now)}};
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
